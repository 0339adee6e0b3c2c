/**
 * What went wrong running on Replicate, in words that say what to do: no token, a model that cannot run
 * there with this token (404, 403, 422), no credit (402). Rate limits (429) are waited out by the client
 * (Retry-After honoured, guarded-fetch.ts) and only then reported, by call-failure.ts.
 */
import { CogdeskError } from '../../../shared/errors';
import { isRemoteError, RemoteError } from './remote-error';
import { TOKEN_ENV, TOKEN_PAGE } from './token';

export const BILLING_PAGE = 'https://replicate.com/account/billing';

export function noToken(doing: string): CogdeskError {
  return new RemoteError('unauthorized', {
    message: `Cannot ${doing}: Replicate needs your API token, and none is set`,
    hint: `Create a token at ${TOKEN_PAGE}, then run \`cogdesk login\` (or set ${TOKEN_ENV}); or run it here, without --on replicate.`,
  });
}

export function notAModel(ref: string): CogdeskError {
  return new CogdeskError({
    code: 'bad_request',
    message: `"${ref}" is not a Replicate model name`,
    hint: 'Write it as owner/name (its latest version) or owner/name:<64-hex version id>.',
  });
}

/** A failed create, said for running `model` on Replicate. */
export function createFailure(e: unknown, model: string): unknown {
  if (!isRemoteError(e)) return e;
  const said = detailOf(e);
  if (e.status === 402) {
    return new RemoteError('forbidden', {
      status: 402,
      message: `Replicate refused to run ${model}: the account has no credit left${said}`,
      hint: `Add credit at ${BILLING_PAGE}, wait a few minutes, then run it again; or run it here, without --on replicate.`,
      details: e.details,
    });
  }
  if (e.status === 404 || e.status === 403 || e.status === 422) {
    return new RemoteError(e.status === 403 ? 'forbidden' : 'not_found', {
      status: e.status,
      message: `${model} cannot run on Replicate with this token${said}`,
      hint: 'Check the name and version (`cogdesk search WORDS`); a private model runs there only with its owner\'s token. To run it here instead, pull it and leave out --on replicate.',
      details: e.details,
    });
  }
  return e;
}

/** ` (402: what Replicate said)` from a RemoteError's message (call-failure.ts ends it so), or ''. */
function detailOf(e: RemoteError): string {
  const i = e.status ? e.message.indexOf(` (${e.status}: `) : -1;
  return i >= 0 ? e.message.slice(i) : '';
}
