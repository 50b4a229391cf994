// The layer test: the onion rules every service shares (tools/config/dependency-cruiser.js,
// `onion-*`, also run by lint) applied to this service's src/. The composition root
// (src/composition-root.ts) and main.ts sit outside the layers and may import all of them.
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { checkOnionLayers, type OnionLayerReport } from '@realtime-platform/testkit';

let report: OnionLayerReport;
beforeAll(() => {
  report = checkOnionLayers(resolve(import.meta.dirname, '../../..'));
});

describe('realtime-service onion layers', () => {
  it('point every import inward: domain ← application ← infrastructure / interface, adapters apart', () => {
    expect(report.violations).toEqual([]);
  });

  it('are all read, with the inward arrows between them (the check is not blind)', () => {
    // The Kafka, database and hub adapters (infrastructure) and the REST and dashboard routes
    // (interface) reach the use cases (application), which know only the domain.
    expect(report.layers).toEqual(['domain', 'application', 'infrastructure', 'interface']);
    expect(report.arrows).toEqual(
      expect.arrayContaining([
        'application → domain',
        'infrastructure → application',
        'interface → application',
      ]),
    );
  });
});
