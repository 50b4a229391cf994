// checkOnionLayers on a throwaway service of four layers: it reports what the shared rules refuse,
// and the arrows it found, so a service's layer test can fail and can show it is not blind. Each
// rule's own cases are in tools/config/test/dependency-cruiser.test.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { checkOnionLayers } from '../src/index.js';

const packages: string[] = [];
afterEach(() => {
  for (const dir of packages.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A service whose imports point inward; `files` adds or replaces source files. */
function service(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'rtp-onion-'));
  packages.push(root);
  const layout: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'fixture-service', type: 'module' }),
    'src/domain/reading.model.ts': 'export interface Reading {\n  deviceId: string;\n}\n',
    'src/application/ports/reading-sink.port.ts':
      "import type { Reading } from '../../domain/reading.model.js';\nexport interface ReadingSink {\n  write(reading: Reading): Promise<void>;\n}\n",
    'src/application/forward-reading.use-case.ts':
      "import type { Reading } from '../domain/reading.model.js';\nimport type { ReadingSink } from './ports/reading-sink.port.js';\nexport const forward = (sink: ReadingSink, reading: Reading) => sink.write(reading);\n",
    'src/infrastructure/kafka-reading.sink.ts':
      "import type { ReadingSink } from '../application/ports/reading-sink.port.js';\nexport const sink: ReadingSink = { write: async () => undefined };\n",
    'src/interface/readings.routes.ts':
      "import { forward } from '../application/forward-reading.use-case.js';\nexport const route = forward;\n",
    'src/composition-root.ts':
      "import { route } from './interface/readings.routes.js';\nimport { sink } from './infrastructure/kafka-reading.sink.js';\nexport const start = () => route(sink, { deviceId: 'bed-7' });\n",
    'src/main.ts': "import { start } from './composition-root.js';\nvoid start();\n",
    ...files,
  };
  for (const [path, text] of Object.entries(layout)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('checkOnionLayers', () => {
  it('should pass a service whose imports point inward, listing its layers and arrows', () => {
    expect(checkOnionLayers(service())).toEqual({
      violations: [],
      arrows: ['application → domain', 'infrastructure → application', 'interface → application'],
      layers: ['domain', 'application', 'infrastructure', 'interface'],
    });
  });

  it('should report a domain file that imports a use case', () => {
    const report = checkOnionLayers(
      service({
        'src/domain/reading.policy.ts':
          "import { forward } from '../application/forward-reading.use-case.js';\nexport const policy = forward;\n",
      }),
    );
    expect(report.violations).toEqual([
      'src/domain/reading.policy.ts → src/application/forward-reading.use-case.ts (onion-domain-inward)',
    ]);
  });
});
