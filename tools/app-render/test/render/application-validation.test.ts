import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addonsRoot } from '@realtime-platform/addons';
import {
  addonParameterPaths,
  formatProblem,
  validateApplication,
  type ApplicationProblem,
} from '../../src/index.js';

// What `rtp validate` reports: every problem names the component and the field, whichever step
// (the platform contract, the definitions, vela dry-run) found it.

const examples = join(addonsRoot, 'examples');

async function problemsOf(file: string, addonParameters = {}): Promise<ApplicationProblem[]> {
  const outcome = await validateApplication(file, { addonParameters });
  return outcome.ok ? [] : outcome.problems;
}

async function problemsOfText(text: string): Promise<ApplicationProblem[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rtp-validate-'));
  try {
    writeFileSync(join(dir, 'app.yaml'), text);
    return await problemsOf(join(dir, 'app.yaml'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const expected: Record<string, Partial<ApplicationProblem> & { text: string }> = {
  'database-oracle.app.yaml': {
    source: 'contract',
    component: 'health-pipeline',
    field: 'properties.database',
    text: 'component "health-pipeline": properties.database: must be one of "postgres", "mysql", "mongodb", got "oracle"',
  },
  'grafana-mongodb.app.yaml': {
    source: 'contract',
    component: 'health-pipeline',
    field: 'properties.visualization',
    text: 'component "health-pipeline": properties.visualization: grafana cannot read properties.database: mongodb (Grafana has no MongoDB data source outside its Enterprise edition); use visualization: metabase, or database: postgres or mysql',
  },
  'kafka-brokers-two.app.yaml': {
    source: 'contract',
    component: 'health-pipeline',
    field: 'properties.kafkaBrokers',
    text: 'component "health-pipeline": properties.kafkaBrokers: must be one of 1, 3, got 2',
  },
  'no-name.app.yaml': {
    source: 'contract',
    component: 'health-pipeline',
    field: 'properties.name',
    text: 'component "health-pipeline": properties.name: is required',
  },
  'retention-7x.app.yaml': {
    source: 'contract',
    component: 'health-pipeline',
    field: 'properties.dataRetention',
    text: 'component "health-pipeline": properties.dataRetention: must be a number followed by d (days), w (weeks) or m (months of 30 days), e.g. 7d (pattern ^[0-9]+[dwm]$), got "7x"',
  },
  'trait-env-shadows-platform.app.yaml': {
    source: 'vela',
    component: 'worker',
    field: 'properties.env[0].name',
    text: 'component "worker": properties.env[0].name: env KAFKA_BOOTSTRAP_SERVERS is reserved: the realtime platform health-data provides it',
  },
  'trait-unknown-platform.app.yaml': {
    source: 'vela',
    component: 'worker',
    trait: 'realtime',
    field: 'properties.platform',
    text: 'component "worker" trait "realtime": properties.platform: platform "health-dta" is not declared by this application (its realtime-platform components are named health-data)',
  },
  'trait-on-root-workload.app.yaml': {
    source: 'vela',
    component: 'worker',
    trait: 'realtime',
    text: 'component "worker" trait "realtime": realtime: the workload runs as root (securityContext.runAsUser: 0); a workload wired to a realtime platform runs as non-root',
  },
  'webservice-run-as-root.app.yaml': {
    source: 'vela',
    component: 'health-app',
    field: 'properties.runAsUser',
    text: 'component "health-app": properties.runAsUser: invalid value 0 (out of bound >=1)',
  },
  'webservice-env-shadows-platform.app.yaml': {
    source: 'vela',
    component: 'health-app',
    field: 'properties.env[0].name',
    text: 'component "health-app": properties.env[0].name: env KAFKA_BOOTSTRAP_SERVERS is reserved: the realtime platform health-data provides it',
  },
  'webservice-image-latest.app.yaml': {
    source: 'vela',
    component: 'health-app',
    field: 'properties.image',
    text: 'component "health-app": properties.image: invalid value "example/app:latest" (out of bound !~":latest$")',
  },
};

describe('validateApplication: the invalid examples', () => {
  it('has an expectation for every invalid example', () => {
    expect(readdirSync(join(examples, 'invalid')).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [example, { text, ...problem }] of Object.entries(expected)) {
    it(`${example}: one problem naming component and field`, async () => {
      const problems = await problemsOf(join(examples, 'invalid', example));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject(problem);
      expect(formatProblem(problems[0] as ApplicationProblem)).toContain(text);
    });
  }
});

describe('validateApplication: the valid examples', () => {
  const valid = readdirSync(examples).filter((f) => f.endsWith('.yaml'));
  for (const example of valid) {
    it(`${example} is valid (the user flows with overrideWebservice)`, async () => {
      const overrideWebservice = ['user-flow.app.yaml', 'plain-webservice.app.yaml'].includes(
        example,
      );
      const outcome = await validateApplication(join(examples, example), {
        addonParameters: { overrideWebservice },
      });
      expect(outcome.ok ? [] : outcome.problems.map(formatProblem)).toEqual([]);
    });
  }

  it("refuses the requirements' user flow without overrideWebservice instead of dropping realtime", async () => {
    const problems = await problemsOf(join(examples, 'user-flow.app.yaml'));
    expect(problems).toEqual([
      expect.objectContaining({
        component: 'health-app',
        field: 'properties.realtime',
        message: expect.stringContaining('overrideWebservice'),
      }),
    ]);
  });
});

describe('validateApplication: what the steps before vela catch', () => {
  it('reports every contract problem of every realtime-platform component at once', async () => {
    const problems = await problemsOfText(`
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: two, namespace: apps }
spec:
  components:
    - name: first
      type: realtime-platform
      properties:
        name: first
        iot: false
        mqttUsers: [{ username: a, passwordSecretRef: { name: devices, key: a } }]
    - name: second
      type: realtime-platform
      properties: { name: second, scaling: { minReplicas: 4, maxReplicas: 2 }, colour: blue }
`);
    expect(problems.map(formatProblem)).toEqual([
      'component "first": properties.mqttUsers: needs properties.iot: true (with iot: false there is no MQTT broker to create them on)',
      'component "second": properties.colour: is not a known field (known here: name, database, visualization, iot, streamProcessing, kafkaBrokers, mqttUsers, dataRetention, scaling, snowflake, topics)',
      'component "second": properties.scaling.minReplicas: (4) must not exceed properties.scaling.maxReplicas (2)',
    ]);
  });

  it('names a type neither the addon nor vela-core defines', async () => {
    const problems = await problemsOfText(`
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata: { name: typo, namespace: apps }
spec:
  components:
    - name: api
      type: webservise
      traits: [{ type: realtme }]
`);
    expect(problems.map(formatProblem)).toEqual([
      'component "api": type: "webservise" is no component type of the realtime-platform addon or of vela-core (offline, rtp knows no other definitions)',
      'component "api": traits[0].type: "realtme" is no trait type of the realtime-platform addon or of vela-core (offline, rtp knows no other definitions)',
    ]);
  });

  it("reports addon parameters template.cue refuses, with CUE's message", async () => {
    const problems = await problemsOf(join(examples, 'minimal.app.yaml'), {
      clusterDomain: 'Cluster Local',
    });
    expect(problems).toEqual([
      expect.objectContaining({
        source: 'addon',
        message: expect.stringContaining('clusterDomain'),
      }),
    ]);
  });
});

describe('addonParameterPaths', () => {
  it('lists the parameters of parameter.cue, nested ones dotted', () => {
    expect(addonParameterPaths()).toEqual(
      expect.arrayContaining([
        'chartRepository',
        'overrideWebservice',
        'serviceImage.tag',
        'lenses.acceptEULA',
        'providerHelm.tenantNamespaces',
      ]),
    );
    expect(addonParameterPaths()).not.toContain('parameter');
  });
});
