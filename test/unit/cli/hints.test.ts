/** Hints that name the real cause (src/main/cli/hints.ts). */
import { describe, expect, it } from 'vitest';
import { CogdeskError } from '../../../src/shared/errors';
import { RemoteError } from '../../../src/main/core/remote/remote-error';
import { withRealCause } from '../../../src/main/cli/hints';

const dockerDown = new CogdeskError({ code: 'docker_unavailable', message: 'Docker is not running (could not reach /x.sock)', hint: 'Start Docker: `sudo systemctl start docker`' });

describe('withRealCause', () => {
  it('Docker unreachable with DOCKER_HOST set: the hint names DOCKER_HOST, not "start Docker"', () => {
    const info = withRealCause(dockerDown.toInfo(), dockerDown, { DOCKER_HOST: 'tcp://gpu-box:2376' });
    expect(info.message).toBe(dockerDown.message);
    expect(info.hint).toBe('DOCKER_HOST=tcp://gpu-box:2376 is set, so Cogdesk talks to the engine it names: start that engine, or unset DOCKER_HOST to use the default one.');
    expect(withRealCause(dockerDown.toInfo(), dockerDown, {}).hint).toBe(dockerDown.hint);
  });

  it("Replicate refuses the token while REPLICATE_API_TOKEN is set: the hint says it overrides the saved login", () => {
    const refused = new RemoteError('unauthorized', { message: "Replicate's API refused the token", hint: 'Log in again: cogdesk login', status: 401 });
    expect(withRealCause(refused.toInfo(), refused, { REPLICATE_API_TOKEN: 'r8_bad' }).hint).toMatch(/^REPLICATE_API_TOKEN is set in this shell and overrides the token saved with cogdesk login/);
    expect(withRealCause(refused.toInfo(), refused, {}).hint).toBe('Log in again: cogdesk login');
    const offline = new RemoteError('network', { message: 'Cannot reach Replicate' });
    expect(withRealCause(offline.toInfo(), offline, { REPLICATE_API_TOKEN: 'r8_x' }).hint).toBeUndefined();
  });
});
