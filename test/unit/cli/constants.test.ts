/**
 * The CLI keeps two of the core's constants as its own, so that start-up does not load the server or the
 * push engine to print them in --help (src/main/cli/index.ts): they must stay equal to the core's.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_PORT as CORE_PORT } from '../../../src/main/core/api-server';
import { CLI_TOKEN_PAGE as CORE_PAGE } from '../../../src/main/core/push/credentials';
import { CLI_TOKEN_PAGE } from '../../../src/main/cli/push';
import { DEFAULT_API_PORT } from '../../../src/main/cli/serve';

describe("the CLI's copies of the core's constants", () => {
  it('the API port and the CLI token page are the same as the core says', () => {
    expect(DEFAULT_API_PORT).toBe(CORE_PORT);
    expect(CLI_TOKEN_PAGE).toBe(CORE_PAGE);
  });
});
