import { describe, expect, it } from 'vitest';
import { parseVersionSchema } from '../../../src/shared/schema';
import { MASK, maskSecretInputs, maskSecretText, secretValues } from '../../../src/main/core/runner/secrets';
import schemaJson from '../../fixtures/cog-openapi/openapi-types.json';

const schema = parseVersionSchema(schemaJson);

describe('secret inputs', () => {
  it('masks secret fields (x-cog-secret / format password) and nothing else', () => {
    expect(schema.inputs.find((f) => f.name === 'token')?.isSecret).toBe(true);
    expect(maskSecretInputs(schema, { token: 'sk-live-123', mode: 2, tags: ['sk-live-123'] })).toEqual({ token: MASK, mode: 2, tags: ['sk-live-123'] });
    expect(maskSecretInputs(schema, { mode: 2 })).toEqual({ mode: 2 });
    expect(maskSecretInputs(schema, { token: '' })).toEqual({ token: '' });
  });

  it('masks the secret values wherever a model printed them, longest first, and leaves short ones alone', () => {
    const values = secretValues(schema, { token: 'sk-live-123' });
    expect(values).toEqual(['sk-live-123']);
    expect(maskSecretText('using key sk-live-123 (sk-live-123)\n', values)).toBe(`using key ${MASK} (${MASK})\n`);
    expect(secretValues(schema, { token: 'ab' })).toEqual([]);
    expect(secretValues(schema, { token: MASK })).toEqual([]);
  });
});
