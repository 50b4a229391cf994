import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleAddonOptions, examplesDir, rtp } from './support/rtp-process.js';

// `rtp validate` as a user runs it: exit 0 valid, 3 invalid (each problem naming component and
// field on stderr), 2 usage, 1 a missing tool.

const invalidDir = join(examplesDir, 'invalid');

/** What stderr must say for each invalid example: `component "<name>"[ trait "<t>"]: <field>: ...`. */
const invalidExamples: Record<string, string> = {
  'database-oracle.app.yaml':
    'component "health-pipeline": properties.database: must be one of "postgres", "mysql", "mongodb", got "oracle"',
  // A bad combination of two valid values, named by the field to change.
  'grafana-mongodb.app.yaml':
    'component "health-pipeline": properties.visualization: grafana cannot read properties.database: mongodb (Grafana has no MongoDB data source outside its Enterprise edition); use visualization: metabase, or database: postgres or mysql',
  'kafka-brokers-two.app.yaml':
    'component "health-pipeline": properties.kafkaBrokers: must be one of 1, 3, got 2',
  'no-name.app.yaml': 'component "health-pipeline": properties.name: is required',
  'retention-7x.app.yaml':
    'component "health-pipeline": properties.dataRetention: must be a number followed by d (days), w (weeks) or m (months of 30 days)',
  'trait-env-shadows-platform.app.yaml':
    'component "worker": properties.env[0].name: env KAFKA_BOOTSTRAP_SERVERS is reserved',
  // Wired workloads run as non-root (issue 16.6).
  'trait-on-root-workload.app.yaml':
    'component "worker" trait "realtime": realtime: the workload runs as root (securityContext.runAsUser: 0)',
  'webservice-run-as-root.app.yaml':
    'component "health-app": properties.runAsUser: invalid value 0 (out of bound >=1)',
  'trait-unknown-platform.app.yaml':
    'component "worker" trait "realtime": properties.platform: platform "health-dta" is not declared by this application',
  'webservice-env-shadows-platform.app.yaml':
    'component "health-app": properties.env[0].name: env KAFKA_BOOTSTRAP_SERVERS is reserved',
  'webservice-image-latest.app.yaml':
    'component "health-app": properties.image: invalid value "example/app:latest"',
};

describe('rtp validate: the invalid examples', () => {
  it('covers every file of addons/examples/invalid', () => {
    expect(readdirSync(invalidDir).sort()).toEqual(Object.keys(invalidExamples).sort());
  });

  for (const [example, message] of Object.entries(invalidExamples)) {
    it(`${example}: exits 3 naming component and field`, async () => {
      const result = await rtp(['validate', join(invalidDir, example)]);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('is invalid (1 problem)');
      expect(result.stdout).toBe('');
      expect(result.exitCode).toBe(3);
    });
  }
});

describe('rtp validate: the valid examples', () => {
  const valid = readdirSync(examplesDir).filter((file) => file.endsWith('.yaml'));

  for (const example of valid) {
    it(`${example}: exits 0 ${(exampleAddonOptions[example] ?? []).join(' ')}`, async () => {
      const result = await rtp([
        'validate',
        join(examplesDir, example),
        ...(exampleAddonOptions[example] ?? []),
      ]);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/: valid \(Application /);
      expect(result.exitCode).toBe(0);
    });
  }

  it("refuses the requirements' user flow without overrideWebservice, which would drop realtime silently", async () => {
    const result = await rtp(['validate', join(examplesDir, 'user-flow.app.yaml')]);
    expect(result.stderr).toContain(
      'component "health-app": properties.realtime: vela-core\'s webservice has no realtime property',
    );
    expect(result.stderr).toContain('--set overrideWebservice=true');
    expect(result.exitCode).toBe(3);
  });
});

describe('rtp validate: input that is not a valid Application', () => {
  const withFile = async (text: string, body: (file: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'rtp-validate-test-'));
    try {
      writeFileSync(join(dir, 'app.yaml'), text);
      await body(join(dir, 'app.yaml'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('names a YAML syntax error by line and column (exit 3)', async () => {
    await withFile('apiVersion: core.oam.dev/v1beta1\nkind: a: b\n', async (file) => {
      const result = await rtp(['validate', file]);
      expect(result.stderr).toContain('at line 2, column 7');
      expect(result.exitCode).toBe(3);
    });
  });

  it('lists every problem of every component at once (exit 3)', async () => {
    const app = `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: two, namespace: apps }
spec:
  components:
    - name: first
      type: realtime-platform
      properties: { name: first, database: mongodb, visualization: grafana }
    - name: second
      type: realtime-platfrom
      properties: { name: second }
`;
    await withFile(app, async (file) => {
      const result = await rtp(['validate', file]);
      expect(result.stderr).toContain('is invalid (2 problems)');
      expect(result.stderr).toContain(
        'component "second": type: "realtime-platfrom" is no component type of the realtime-platform addon or of vela-core',
      );
      expect(result.stderr).toContain(
        'component "first": properties.visualization: grafana cannot read properties.database: mongodb',
      );
      expect(result.exitCode).toBe(3);
    });
  });
});

describe('rtp validate: usage and tools', () => {
  it('--help exits 0 with the usage, the steps and the exit codes', async () => {
    const result = await rtp(['validate', '--help']);
    expect(result.stdout).toMatch(/^Usage: rtp validate <app.yaml>/);
    expect(result.stdout).toContain('Exit codes: 0 valid');
    expect(result.exitCode).toBe(0);
  });

  it('a missing file is a usage error (exit 2), naming the file', async () => {
    const result = await rtp(['validate', join(examplesDir, 'no-such.app.yaml')]);
    expect(result.stderr).toContain('rtp validate: no such file: ');
    expect(result.stderr).toContain('no-such.app.yaml');
    expect(result.exitCode).toBe(2);
  });

  it('no file at all is a usage error (exit 2)', async () => {
    const result = await rtp(['validate']);
    expect(result.stderr).toContain('missing <app.yaml>');
    expect(result.exitCode).toBe(2);
  });

  it('an addon parameter the addon does not have is a usage error (exit 2)', async () => {
    const result = await rtp([
      'validate',
      join(examplesDir, 'minimal.app.yaml'),
      '--set',
      'overrideWebServices=true',
    ]);
    expect(result.stderr).toContain(
      'the realtime-platform addon has no parameter "overrideWebServices"',
    );
    expect(result.exitCode).toBe(2);
  });

  it('without the Go-built tools exits 1 and says how to build them', async () => {
    const emptyCache = mkdtempSync(join(tmpdir(), 'rtp-empty-cache-'));
    try {
      const result = await rtp(['validate', join(examplesDir, 'minimal.app.yaml')], {
        RTP_CACHE_DIR: emptyCache,
      });
      expect(result.stderr).toContain(
        'is not installed: npm run setup -- --with-go-tools builds it',
      );
      expect(result.exitCode).toBe(1);
    } finally {
      rmSync(emptyCache, { recursive: true, force: true });
    }
  });
});
