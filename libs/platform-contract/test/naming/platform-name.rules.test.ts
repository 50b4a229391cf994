import { describe, expect, it } from '@jest/globals';
import {
  claimResourceName,
  describePlatform,
  maxPlatformNameLength,
  validateClaimSpec,
} from '../../src/index.js';

describe('maxPlatformNameLength', () => {
  it('is 41: {name}-postgresql must stay a valid StatefulSet name (52 characters)', () => {
    expect(maxPlatformNameLength).toBe(41);
  });

  it('keeps every name a longest platform derives within its Kubernetes limit', () => {
    const name = `p${'x'.repeat(maxPlatformNameLength - 1)}`;
    const platform = describePlatform({
      namespace: 'apps',
      claim: { name, streamProcessing: 'lenses' },
    });
    const grafana = describePlatform({
      namespace: 'apps',
      claim: { name, visualization: 'grafana' },
    });
    const tooLong = [
      ...[...platform.services, ...grafana.services].filter((s) => s.name.length > 63),
      ...platform.services.filter((s) => s.stateful && s.name.length > 52),
      ...platform.secrets.filter((s) => s.name.length > 63),
    ].map((s) => s.name);
    expect(tooLong).toEqual([]);
    expect(`${claimResourceName(name)}-abcde`.length).toBeLessThanOrEqual(63);
    expect(platform.secrets.find((s) => s.id === 'metabase')?.name).toHaveLength(57);
  });

  it('is enforced by the claim validation', () => {
    expect(validateClaimSpec({ name: 'a'.repeat(maxPlatformNameLength) }).ok).toBe(true);
    expect(validateClaimSpec({ name: 'a'.repeat(maxPlatformNameLength + 1) }).ok).toBe(false);
  });
});

describe('claimResourceName', () => {
  it('names the claim {name}-realtime as the requirements definition does', () => {
    expect(claimResourceName('health-data')).toBe('health-data-realtime');
  });
});
