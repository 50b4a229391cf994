import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GoTool } from '@realtime-platform/toolchain';
import { addonDefinitionsDir } from '../../src/index.js';

// The health policies and custom status of the definitions, evaluated by the real CUE CLI the way
// KubeVela evaluates them: the CUE text with `context.output` set to the live object.

/** The real CUE CLI, at the version KubeVela v1.10.6 embeds (cuelang.org/go v0.9.2). */
const cue = GoTool.locate('cue');

/**
 * A status field of a definition file: the CUE multi-line string after `<field>: #"""`, with the
 * indentation of its closing line removed (as CUE does).
 */
function statusField(definition: string, field: 'healthPolicy' | 'customStatus'): string {
  const text = readFileSync(join(addonDefinitionsDir, `${definition}.cue`), 'utf8');
  const match = new RegExp(`${field}: #"""\\n([\\s\\S]*?)\\n(\\t*)"""#`).exec(text);
  if (!match) throw new Error(`${definition} has no ${field}`);
  const [, body = '', indent = ''] = match;
  return body
    .split('\n')
    .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}

async function evaluate(policy: string, output: unknown, expression: string): Promise<unknown> {
  const program = `${policy}\ncontext: output: ${JSON.stringify(output)}\n`;
  const result = await cue.run(['export', '--out', 'json', '-e', expression, 'cue:', '-'], {
    input: program,
  });
  if (result.exitCode !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

const claim = (status?: Record<string, unknown>) => ({
  apiVersion: 'platform.example.org/v1alpha1',
  kind: 'RealtimePlatformClaim',
  metadata: { name: 'health-data-realtime', namespace: 'apps' },
  spec: { name: 'health-data' },
  ...(status ? { status } : {}),
});

const readyStatus = {
  ready: true,
  message: 'ready',
  conditions: [{ type: 'Ready', status: 'True' }],
  endpoints: {
    metabaseUI: 'http://health-data-metabase.apps.svc.cluster.local:3000',
    mqttWebSocket: 'ws://health-data-mqtt.apps.svc.cluster.local:9001/mqtt',
  },
};

describe('realtime-platform status', () => {
  it('is healthy only when the composition says ready and the claim is Ready', async () => {
    const policy = statusField('realtime-platform', 'healthPolicy');
    expect(await evaluate(policy, claim(readyStatus), 'isHealth')).toBe(true);
    expect(await evaluate(policy, claim(), 'isHealth')).toBe(false);
    expect(
      await evaluate(
        policy,
        claim({ ...readyStatus, conditions: [{ type: 'Ready', status: 'False' }] }),
        'isHealth',
      ),
    ).toBe(false);
    expect(await evaluate(policy, claim({ ...readyStatus, ready: false }), 'isHealth')).toBe(false);
  });

  it('lists the secrets and endpoints when ready, and what it waits for otherwise', async () => {
    const status = statusField('realtime-platform', 'customStatus');
    expect(await evaluate(status, claim(readyStatus), 'message')).toBe(
      'Ready. Secrets: health-data-mqtt-secret, health-data-kafka-secret, health-data-db-secret, health-data-metabase-secret, health-data-lenses-secret. Endpoints: lensesUI=-, metabaseUI=http://health-data-metabase.apps.svc.cluster.local:3000, mqttWebSocket=ws://health-data-mqtt.apps.svc.cluster.local:9001/mqtt',
    );
    expect(await evaluate(status, claim(), 'message')).toBe(
      'Provisioning: waiting for Crossplane to compose the claim',
    );
    expect(
      await evaluate(
        status,
        claim({ ready: false, message: 'realtime-platform release not ready: timed out' }),
        'message',
      ),
    ).toBe('Provisioning: realtime-platform release not ready: timed out');
  });
});

describe('realtime trait status', () => {
  const deployment = (availableReplicas?: number) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'worker',
      annotations: { 'realtime.platform.example.org/platform': 'health-data' },
    },
    spec: { replicas: 1 },
    status: availableReplicas === undefined ? {} : { availableReplicas },
  });

  it('says which platform and which Secrets the pods wait for, and what to do when it does not exist', async () => {
    const status = statusField('realtime', 'customStatus');
    expect(await evaluate(status, deployment(), 'message')).toBe(
      'waiting for realtime platform health-data: pods start only once the Secrets health-data-{mqtt,kafka,db,metabase,lenses}-secret exist in this namespace. If they never appear, no realtime-platform named health-data exists here: deploy a realtime-platform component with name: health-data (claim health-data-realtime)',
    );
    expect(await evaluate(status, deployment(1), 'message')).toBe(
      'connected to realtime platform health-data',
    );
  });
});

describe('realtime-webservice health', () => {
  it('is healthy when every replica is ready and updated', async () => {
    const policy = statusField('realtime-webservice', 'healthPolicy');
    const deployment = (status: Record<string, number>) => ({ spec: { replicas: 2 }, status });
    expect(
      await evaluate(policy, deployment({ readyReplicas: 2, updatedReplicas: 2 }), 'isHealth'),
    ).toBe(true);
    expect(
      await evaluate(policy, deployment({ readyReplicas: 1, updatedReplicas: 2 }), 'isHealth'),
    ).toBe(false);
    expect(await evaluate(policy, deployment({}), 'isHealth')).toBe(false);
  });
});
