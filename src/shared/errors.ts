/**
 * Errors that cross the contract are plain values: a stable code, what failed, and what to do about it.
 * The core throws CogdeskError; the CLI prints `message` and `hint`; the renderer shows both.
 */
export type ErrorCode =
  | 'docker_unavailable'
  | 'image_not_found'
  | 'registry_unauthorized'
  | 'registry_error'
  | 'pull_failed'
  | 'pull_canceled'
  | 'not_a_cog_image'
  | 'schema_invalid'
  | 'input_invalid'
  | 'file_not_found'
  | 'container_failed'
  | 'setup_failed'
  | 'prediction_failed'
  | 'not_found'
  | 'timeout'
  | 'canceled'
  | 'bad_request'
  | 'disk_full'
  | 'internal';

export interface FieldError {
  /** Input field name (empty for errors about the whole input). */
  field: string;
  code: 'type' | 'range' | 'choices' | 'required' | 'unknown' | 'format' | 'invalid';
  message: string;
}

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  /** What the person can do about it. */
  hint?: string;
  fields?: FieldError[];
  /** Extra text worth showing (setup logs, the engine's own message). */
  details?: string;
}

export class CogdeskError extends Error implements ErrorInfo {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly fields?: FieldError[];
  readonly details?: string;

  constructor(info: ErrorInfo, options?: { cause?: unknown }) {
    super(info.message, options);
    this.name = 'CogdeskError';
    this.code = info.code;
    this.hint = info.hint;
    this.fields = info.fields;
    this.details = info.details;
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.hint) info.hint = this.hint;
    if (this.fields) info.fields = this.fields;
    if (this.details) info.details = this.details;
    return info;
  }
}

export function isCogdeskError(e: unknown): e is CogdeskError {
  return e instanceof CogdeskError;
}

/** True for the errors a full disk gives: the file system's ENOSPC/EDQUOT and SQLite's SQLITE_FULL. */
export function isDiskFullError(e: unknown): boolean {
  if (e instanceof CogdeskError) return e.code === 'disk_full';
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL';
}

/** Turns anything thrown into an ErrorInfo a person can read. */
export function toErrorInfo(e: unknown): ErrorInfo {
  if (e instanceof CogdeskError) return e.toInfo();
  if (isDiskFullError(e)) {
    return {
      code: 'disk_full',
      message: 'The disk is full: Cogdesk could not save its data',
      hint: 'Free some space on the disk that holds the data folder (or set COGDESK_HOME to a folder on a larger disk), then try again. Nothing already saved was lost.',
    };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message };
}
