/** The route table, and matching a request's method and path against it. */
import type { Route } from '../context';
import { cogdeskRoutes } from './cogdesk';
import { fileRoutes } from './files';
import { miscRoutes } from './misc';
import { modelRoutes } from './models';
import { predictionRoutes } from './predictions';

export const ROUTES: readonly Route[] = [...predictionRoutes, ...modelRoutes, ...fileRoutes, ...miscRoutes, ...cogdeskRoutes];

export type Match = { route: Route; params: string[] } | { allowed: string[] } | null;

/** `path` is what follows `/v1`. A path that exists with other methods answers which (for a 405). */
export function matchRoute(method: string, path: string, routes: readonly Route[] = ROUTES): Match {
  const allowed: string[] = [];
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    let params: string[];
    try {
      params = m.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      return null; // malformed %-escapes name nothing here
    }
    return { route, params };
  }
  return allowed.length > 0 ? { allowed } : null;
}
