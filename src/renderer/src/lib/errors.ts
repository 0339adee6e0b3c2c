import { CogdeskError, type ErrorInfo } from '../../../shared/errors';

/** Anything a call threw, as an ErrorInfo to show (message, hint, field errors). */
export function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof CogdeskError) return e.toInfo();
  if (e && typeof e === 'object' && 'message' in e && 'code' in e) return e as ErrorInfo;
  return { code: 'internal', message: e instanceof Error ? e.message : String(e), hint: 'Try again; if it keeps happening, restart Cogdesk.' };
}
