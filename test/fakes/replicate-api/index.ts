/** The fake Replicate API for tests: a server built from recorded answers, and a validator for them. */
import { expect } from 'vitest';
import { readFixtureManifest } from '../../helpers/fixtures';
import { startFakeReplicate, type FakeReplicate, type FakeReplicateOptions } from './server';
import { createValidator, type Verdict } from './validate';

export { startFakeReplicate, type FakeReplicate, type FakeReplicateOptions, type FakeRequest, type FakeResponse } from './server';
export type { CreatedModel, FakePushes, FakeRegistry } from './push';
export type { FakePredictions, FakeRun, FakeUpload } from './predictions';
export { createValidator, KNOWN_DIFFERENCES, type Issue, type Verdict } from './validate';
export { ECHO_README, GONE_VERSION_ID, recorded } from './world';

/** A token shaped like Replicate's (r8_ and 37 characters). */
export const FAKE_TOKEN = 'r8_FakeTokenForCogdeskTests0123456789ab';

/** The fake with `fixtures/echo` at the echo fixture's digest (needs the test environment's manifest). */
export function startFakeWithFixtures(o: Partial<FakeReplicateOptions> = {}): Promise<FakeReplicate> {
  const digest = readFixtureManifest().images.echo?.digest;
  if (!digest) throw new Error('the fixture manifest has no echo image: run scripts/test-env/setup.sh');
  return startFakeReplicate({ token: FAKE_TOKEN, echo: { versionId: digest.replace(/^sha256:/, '') }, ...o });
}

/** The fake with a made-up echo version id (for tests that never pull). */
export function startFakeOffline(o: Partial<FakeReplicateOptions> = {}): Promise<FakeReplicate> {
  return startFakeReplicate({ token: FAKE_TOKEN, echo: { versionId: 'e'.repeat(64) }, ...o });
}

/**
 * Validates every answer the fake gave against replicate-openapi.json: the known differences from the
 * published schema are allowed, nothing else. Returns the verdicts (the known differences seen).
 */
export function expectAnswersValid(fake: FakeReplicate): Verdict[] {
  const validator = createValidator();
  const verdicts = fake.responses.map((r) => ({ r, v: validator.validate(r.method, r.path, r.status, r.contentType, r.body) }));
  const bad = verdicts.filter(({ v }) => v.unexplained.length > 0).map(({ r, v }) => `${r.method} ${r.path} ${r.status}: ${v.unexplained.map((i) => `${i.path} ${i.message}`).join('; ')}`);
  expect(bad, 'answers of the fake that do not validate against replicate-openapi.json').toEqual([]);
  expect(fake.responses.length).toBeGreaterThan(0);
  return verdicts.map(({ v }) => v);
}
