/**
 * RemoteError: a failed call to Replicate's API, with why it failed (`reason`) beside the ErrorCode the
 * rest of Cogdesk knows, and the failures the local cache may answer for.
 */
import { CogdeskError, type ErrorCode } from '../../../shared/errors';

export type RemoteFailure =
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'throttled'
  | 'server'
  | 'network'
  | 'bad_request'
  | 'bad_response'
  | 'refused';

/** The nearest existing ErrorCode for each failure (the reason itself is on RemoteError.reason). */
const CODES: Record<RemoteFailure, ErrorCode> = {
  unauthorized: 'registry_unauthorized',
  forbidden: 'registry_unauthorized',
  not_found: 'not_found',
  throttled: 'registry_error',
  server: 'registry_error',
  network: 'registry_error',
  bad_request: 'bad_request',
  bad_response: 'internal',
  refused: 'bad_request',
};

export class RemoteError extends CogdeskError {
  readonly reason: RemoteFailure;
  readonly status?: number;
  /** Seconds the API asked to wait (429 Retry-After). */
  readonly retryAfter?: number;

  constructor(reason: RemoteFailure, info: { message: string; hint?: string; details?: string; status?: number; retryAfter?: number }) {
    super({ code: CODES[reason], message: info.message, hint: info.hint, details: info.details });
    this.name = 'RemoteError';
    this.reason = reason;
    if (info.status !== undefined) this.status = info.status;
    if (info.retryAfter !== undefined) this.retryAfter = info.retryAfter;
  }
}

export function isRemoteError(e: unknown, ...reasons: RemoteFailure[]): e is RemoteError {
  return e instanceof RemoteError && (reasons.length === 0 || reasons.includes(e.reason));
}

/** Failures that the cache may answer for: the API could not be asked, or could not answer now. */
export const UNREACHABLE: readonly RemoteFailure[] = ['network', 'server', 'throttled'];
