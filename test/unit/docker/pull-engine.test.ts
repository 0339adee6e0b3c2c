/**
 * Which engines a pull or push may hand registry credentials to (X-Registry-Auth, POST /auth): one on this
 * machine, or the one engine elsewhere that COGDESK_ENGINE_CREDENTIALS names. The engines are dockerode
 * clients that are never called (only their address is read); the real engine reached from elsewhere is
 * in test/integration/docker/pull-auth.test.ts and test/integration/push/core-task.test.ts.
 */
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { credentialsMayGoTo } from '../../../src/main/core/docker/auth';
import { connectDocker } from '../../../src/main/core/docker/connection';

describe('credentialsMayGoTo', () => {
  it('an engine on this machine: a socket, a named pipe, tcp to loopback', () => {
    for (const host of ['unix:///var/run/docker.sock', '/run/user/1000/docker.sock', 'tcp://127.0.0.1:2375', 'tcp://localhost:2375', 'tcp://[::1]:2375']) {
      expect(credentialsMayGoTo(connectDocker({ host }), {}), host).toEqual({ ok: true });
    }
    expect(credentialsMayGoTo(new Docker({ socketPath: '/var/run/docker.sock' }), {})).toEqual({ ok: true });
  });

  it('an engine elsewhere (tcp, https, ssh): not unless COGDESK_ENGINE_CREDENTIALS names exactly that engine', () => {
    expect(credentialsMayGoTo(connectDocker({ host: 'tcp://10.1.2.3:2375' }), {})).toEqual({ ok: false, engine: 'tcp://10.1.2.3:2375' });
    expect(credentialsMayGoTo(connectDocker({ host: 'ssh://me@gpu-box' }), {})).toEqual({ ok: false, engine: 'ssh://me@gpu-box' });
    expect(credentialsMayGoTo(new Docker({ host: 'gpu-box', port: 2376, protocol: 'https' }), {})).toEqual({ ok: false, engine: 'https://gpu-box:2376' });
    const named = connectDocker({ host: 'tcp://10.1.2.3:2375' });
    expect(credentialsMayGoTo(named, { COGDESK_ENGINE_CREDENTIALS: 'tcp://10.1.2.3:2375' })).toEqual({ ok: true });
    expect(credentialsMayGoTo(named, { COGDESK_ENGINE_CREDENTIALS: 'tcp://10.1.2.4:2375' })).toEqual({ ok: false, engine: 'tcp://10.1.2.3:2375' });
  });
});
