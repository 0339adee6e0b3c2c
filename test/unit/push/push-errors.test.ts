/**
 * What a failed push says: the engine's registry messages (as Docker and the distribution registry write
 * them) turned into errors that say what happened and what to do, by where the credentials came from.
 */
import { describe, expect, it } from 'vitest';
import { classifyPushError } from '../../../src/main/core/push/push';

const ctx = { target: 'r8.im/alice/model', registry: 'r8.im', credentialSource: 'docker-config' as const, username: 'alice' };

describe('classifyPushError', () => {
  it('refused credentials: from `cog login` -> run it again; from Cogdesk\'s token -> give a new one', () => {
    const cog = classifyPushError('unauthorized: authentication required', ctx);
    expect(cog).toMatchObject({ code: 'registry_unauthorized', message: 'r8.im refused your `cog login` credentials (user alice)' });
    expect(cog.hint).toMatch(/Run `cog login` again/);
    const kept = classifyPushError('unauthorized: authentication required', { ...ctx, credentialSource: 'cogdesk' });
    expect(kept.message).toBe('r8.im refused the CLI token Cogdesk keeps (user alice)');
    expect(kept.hint).toMatch(/--login/);
  });

  it('a refused push (denied): names the model and why it may be refused', () => {
    const e = classifyPushError('denied: requested access to the resource is denied', ctx);
    expect(e).toMatchObject({ code: 'registry_unauthorized', message: 'r8.im refused the push to r8.im/alice/model' });
    expect(e.hint).toMatch(/may push to it/);
  });

  it('a model the registry does not know', () => {
    expect(classifyPushError('name unknown: repository name not known to registry', ctx)).toMatchObject({ code: 'not_found', message: 'r8.im has no model alice/model to push to' });
  });

  it.each([
    'Put "http://127.0.0.1:5999/v2/alice/model/blobs/uploads/x": dial tcp 127.0.0.1:5999: connect: connection refused',
    'Patch "http://127.0.0.1:5999/v2/alice/model/blobs/uploads/x": EOF',
    'write tcp 127.0.0.1:4000->127.0.0.1:5999: write: broken pipe',
    'read: connection reset by peer',
  ])('the network dropping (%s): says so, and that a second push resumes', (msg) => {
    const e = classifyPushError(msg, ctx);
    expect(e.code).toBe('registry_error');
    expect(e.message).toBe('The connection to r8.im dropped while pushing r8.im/alice/model');
    expect(e.hint).toMatch(/layers already uploaded are not uploaded again/);
    expect(e.details).toBe(msg);
  });

  it('throttling, TLS, a registry failure, and anything else keep the engine\'s words in details', () => {
    expect(classifyPushError('toomanyrequests: slow down', ctx).message).toBe('r8.im is limiting requests');
    expect(classifyPushError('http: server gave HTTP response to HTTPS client', ctx).message).toBe('Could not make a secure connection to r8.im');
    expect(classifyPushError('received unexpected HTTP status: 500 Internal Server Error', ctx).message).toMatch(/^r8\.im failed while receiving/);
    const other = classifyPushError('something odd', ctx);
    expect(other).toMatchObject({ code: 'registry_error', message: 'Pushing r8.im/alice/model failed: something odd', details: 'something odd' });
  });
});
