import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { addonsRoot } from '@realtime-platform/addons';
import { dryRunApplication } from '../../src/index.js';

// The same three mistakes are refused at the XRD too: crossplane/xrd-validation.test.ts.
const invalid = (name: string): string => join(addonsRoot, 'examples', 'invalid', name);

describe('realtime-platform definition (vela dry-run) refuses invalid input', () => {
  it('without name, naming name', async () => {
    const result = await dryRunApplication(invalid('no-name.app.yaml'));
    expect(result.exitCode).not.toBe(0);
    // Offline dry-run skips vela's parameter validation; CUE reports the unset name where it is used.
    expect(result.error).toMatch(/output\.metadata\.name: non-concrete value =~"\^\[a-z\]/);
  });

  it('database: oracle, naming database', async () => {
    const result = await dryRunApplication(invalid('database-oracle.app.yaml'));
    expect(result.exitCode).not.toBe(0);
    // With three allowed engines CUE reports the failed disjunction as a whole (rtp validate's
    // contract step names the allowed values).
    expect(result.error).toContain('output.spec.database: 3 errors in empty disjunction');
  });

  it('dataRetention: 7x, naming dataRetention', async () => {
    const result = await dryRunApplication(invalid('retention-7x.app.yaml'));
    expect(result.exitCode).not.toBe(0);
    expect(result.error).toContain('output.spec.dataRetention');
  });

  it('a realtime-webservice env var that would shadow a platform key, naming parameter.env', async () => {
    const result = await dryRunApplication(invalid('webservice-env-shadows-platform.app.yaml'));
    expect(result.exitCode).not.toBe(0);
    // The parameter type refuses names starting with a platform prefix or set by the integration (RTP_*).
    expect(result.error).toContain('parameter.env: 2 errors in empty disjunction');
  });

  it('a realtime-webservice image tagged latest, naming parameter.image', async () => {
    const result = await dryRunApplication(invalid('webservice-image-latest.app.yaml'));
    expect(result.exitCode).not.toBe(0);
    expect(result.error).toContain('parameter.image');
  });
});
