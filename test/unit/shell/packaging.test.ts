import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { build: Record<string, unknown> };
const builderSchema = JSON.parse(readFileSync(resolve(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;

describe('the packaged app (electron-builder config in package.json)', () => {
  it("is a configuration electron-builder accepts (its own schema), fuse names included", () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(builderSchema);
    expect(validate(pkg.build), JSON.stringify(validate.errors)).toBe(true);
  });

  it('flips the Electron fuses that close the ways around the app: no run-as-node, no NODE_OPTIONS or --inspect, only the signed app.asar, encrypted cookies', () => {
    expect(pkg.build.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // The integrity fuse means nothing without the archive and its embedded hash.
    expect(pkg.build.asar ?? true).toBe(true);
  });
});
