import { useEffect, useState } from 'react';
import type { Version } from '../../../shared/domain';
import { parseVersionSchema, type VersionSchema } from '../../../shared/schema';
import { api } from '../api';

const cache = new Map<string, Promise<{ version: Version | null; schema: VersionSchema | null }>>();

function load(versionId: string) {
  let hit = cache.get(versionId);
  if (!hit) {
    hit = api.getVersion(versionId).then((version) => {
      let schema: VersionSchema | null = null;
      try {
        schema = version ? parseVersionSchema(version.openapiSchema) : null;
      } catch {
        schema = null;
      }
      return { version, schema };
    });
    hit.catch(() => cache.delete(versionId));
    cache.set(versionId, hit);
  }
  return hit;
}

/** Forgets a version (after deleting it). */
export function forgetVersion(versionId: string): void {
  cache.delete(versionId);
}

/** A version and its parsed schema; both null while loading or when the version is gone. */
export function useVersion(versionId: string | null): { version: Version | null; schema: VersionSchema | null; loaded: boolean } {
  const [state, setState] = useState<{ version: Version | null; schema: VersionSchema | null; loaded: boolean }>({ version: null, schema: null, loaded: false });
  useEffect(() => {
    if (!versionId) return;
    let live = true;
    setState({ version: null, schema: null, loaded: false });
    load(versionId).then(
      (v) => live && setState({ ...v, loaded: true }),
      () => live && setState({ version: null, schema: null, loaded: true }),
    );
    return () => {
      live = false;
    };
  }, [versionId]);
  return state;
}
