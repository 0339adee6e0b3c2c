import { describe, expect, it } from 'vitest';
import { fitWord, formatModelPage } from '../../../src/main/cli/catalog';
import type { ModelPage } from '../../../src/shared/catalog';
import type { Fit } from '../../../src/shared/hardware';

const base: Omit<Fit, 'kind' | 'reason' | 'sentence'> = { requiredGB: null, requiredCount: 1 };

describe('the fit word on cogdesk model OWNER/NAME', () => {
  it('a driver too old for the image needs a newer driver, not a GPU', () => {
    const fit: Fit = { ...base, kind: 'needs_gpu', reason: 'cuda_too_old', sentence: 'Needs CUDA 12.4; your driver (535.104.05) supports up to 12.2: update the driver.' };
    expect(fitWord(fit)).toBe('needs a newer driver');
    const page = { model: { id: 'acme/gpu', latestVersion: null, runCount: 0 }, readme: null, versions: [], examples: [], inputSchema: null } as unknown as ModelPage;
    expect(formatModelPage(page, fit)).toContain(`Fit:     needs a newer driver: ${fit.sentence}`);
  });

  it('no GPU here still needs a GPU', () => {
    expect(fitWord({ ...base, kind: 'needs_gpu', reason: 'no_gpu', sentence: '' })).toBe('needs a GPU');
    expect(fitWord({ ...base, kind: 'gpu', reason: null, sentence: '' })).toBe('runs here (GPU)');
  });
});
