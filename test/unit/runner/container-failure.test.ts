import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { explainContainerFailure } from '../../../src/main/core/runner/container-failure';

describe('why a container stopped answering', () => {
  it('blames Docker, not the model, when the engine itself is gone (a restart), and never says "exit code 0"', async () => {
    const gone = new Docker({ socketPath: '/nonexistent/docker.sock' });
    const why = await explainContainerFailure(gone, 'abc', 100);
    expect(why.alive).toBe(false);
    expect(why.message).toMatch(/Docker stopped answering during the prediction.*Start Docker again/);
    expect(why.message).not.toMatch(/exit code|setup/);
  });
});
