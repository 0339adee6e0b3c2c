/**
 * Once per test run: fail fast, with what to do, when the test environment is not there; and at the end,
 * remove containers that test processes started and left (their process is gone), so a failed test never
 * leaves a model running. Containers of a live Cogdesk (a developer's app) are left alone.
 */
import Docker from 'dockerode';
import { existsSync } from 'node:fs';
import { FIXTURE_MANIFEST } from './helpers/fixtures';

const docker = new Docker({ socketPath: '/var/run/docker.sock' });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function setup(): Promise<void> {
  const problems: string[] = [];
  await docker.ping().catch(() => problems.push('no Docker engine answers at /var/run/docker.sock'));
  for (const port of [5100, 5101]) {
    const res = await fetch(`http://127.0.0.1:${port}/v2/`).catch(() => null);
    if (!res) problems.push(`no registry answers on 127.0.0.1:${port}`);
  }
  if (!existsSync(FIXTURE_MANIFEST)) problems.push(`${FIXTURE_MANIFEST} is missing`);
  if (problems.length > 0) {
    throw new Error(`The test environment is not ready: ${problems.join('; ')}. Run \`bash scripts/test-env/setup.sh\` (npm test does).`);
  }
}

export async function teardown(): Promise<void> {
  const left = await docker.listContainers({ all: true, filters: { label: ['cogdesk.managed=true'] } });
  for (const c of left) {
    if (!alive(Number(c.Labels['cogdesk.pid'] ?? 0))) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
  }
}
