import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { parse } from 'yaml';
import { claimApi } from '@realtime-platform/contract-generators';
import {
  addonNames,
  addonsRoot,
  composeFunction,
  generatedFunctionFiles,
} from '@realtime-platform/addons';
import {
  compositeFromClaim,
  crossplaneValidate,
  dryRunApplication,
  LocalFunctions,
  objectOf,
  renderComposite,
  type KubeObject,
  type RenderedAddon,
} from '../../src/index.js';
import { renderAddonOk } from '../support/addon-render.js';

// `crossplane beta validate`: the Kubernetes API server's validation (schema, enums, patterns,
// CEL rules) offline, against the XRDs as template.cue installs them.

let addon: RenderedAddon;
let platformXrd: KubeObject;
let iotXrd: KubeObject;
const functions = new LocalFunctions();

afterAll(async () => {
  await functions.stop();
});

beforeAll(async () => {
  await functions.start();
  addon = await renderAddonOk({ chartRepository: 'https://charts.example.test/realtime-platform' });
  platformXrd = objectOf(
    addon,
    'CompositeResourceDefinition',
    'xrealtimeplatformclaims.platform.example.org',
  );
  iotXrd = objectOf(addon, 'CompositeResourceDefinition', 'xiotbrokerclaims.platform.example.org');
});

const claim = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'platform.example.org/v1alpha1',
  kind: claimApi.kind,
  metadata: { name: 'health-data-realtime', namespace: 'apps' },
  spec,
});

describe('the XRD (crossplane beta validate)', () => {
  it('accepts the claims the examples render', async () => {
    const claims: KubeObject[] = [];
    for (const example of ['minimal.app.yaml', 'every-option.app.yaml']) {
      claims.push(...(await dryRunApplication(join(addonsRoot, 'examples', example))).objects);
    }
    const result = await crossplaneValidate([platformXrd], claims);
    expect(result.output).toContain('2 success cases, 0 failure cases');
    expect(result.exitCode).toBe(0);
  });

  it('rejects a claim without name, naming spec.name', async () => {
    const result = await crossplaneValidate([platformXrd], [claim({ database: 'postgres' })]);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('spec.name: Required value');
  });

  it('rejects database: oracle, naming spec.database and the allowed value', async () => {
    const result = await crossplaneValidate(
      [platformXrd],
      [claim({ name: 'health-data', database: 'oracle' })],
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(
      'spec.database: Unsupported value: "oracle": supported values: "postgres"',
    );
  });

  it('rejects dataRetention: 7x, naming spec.dataRetention and its pattern', async () => {
    const result = await crossplaneValidate(
      [platformXrd],
      [claim({ name: 'health-data', dataRetention: '7x' })],
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(
      `spec.dataRetention: Invalid value: "7x": spec.dataRetention in body should match '^[0-9]+[dwm]$'`,
    );
  });

  it('enforces the cross-field CEL rules at admission', async () => {
    const result = await crossplaneValidate(
      [platformXrd],
      [
        claim({
          name: 'health-data',
          iot: false,
          mqttUsers: [{ username: 'a', passwordSecretRef: { name: 'devices', key: 'a' } }],
        }),
      ],
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('spec.mqttUsers needs spec.iot: true');
  });

  it('refuses a device password in clear at admission, naming the field (it would reach the Release)', async () => {
    const result = await crossplaneValidate(
      [platformXrd],
      [
        claim({
          name: 'health-data',
          mqttUsers: [
            { username: 'a', password: 'change-me', passwordSecretRef: { name: 's', key: 'a' } },
          ],
        }),
      ],
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('spec.mqttUsers[].password is refused');
  });

  // More of what function-compose-platform refuses (its fn_test.go), refused offline by the XRD
  // too. Two of its refusals are not: crossplane beta validate accepts `iot: "yes"` and two topics
  // of one name (x-kubernetes-list-type: map), which only the API server and the function refuse.
  for (const [what, spec, message] of [
    [
      'a name that is no DNS label',
      { name: 'Health_Data' },
      'spec.name: Invalid value: "Health_Data"',
    ],
    [
      'scaling.minReplicas: 0',
      { name: 'h', scaling: { minReplicas: 0 } },
      'spec.scaling.minReplicas: Invalid value: 0',
    ],
    [
      'a device without its passwordSecretRef',
      { name: 'h', mqttUsers: [{ username: 'd' }] },
      'spec.mqttUsers[0].passwordSecretRef: Required value',
    ],
  ] as const) {
    it(`rejects ${what}, naming the field`, async () => {
      const result = await crossplaneValidate([platformXrd], [claim(spec)]);
      expect(result.exitCode).not.toBe(0);
      expect(result.output).toContain(message);
    });
  }

  it('accepts the status the Composition writes (crossplane render with the real functions)', async () => {
    const claimObject = (
      await dryRunApplication(join(addonsRoot, 'examples', 'every-option.app.yaml'))
    ).objects[0] as KubeObject;
    const xr = compositeFromClaim(claimObject, claimApi.compositeKind);
    const rendered = await renderComposite(functions, {
      xr,
      composition: objectOf(addon, 'Composition', 'realtime-platform'),
      functionObjects: addon.objects.filter((o) => o.kind === 'Function'),
      xrd: platformXrd,
    });
    expect(rendered.exitCode).toBe(0);
    const result = await crossplaneValidate(
      [platformXrd],
      [{ ...xr, status: rendered.composite?.status }],
    );
    expect(result.output).toContain('1 success cases, 0 failure cases');
  });

  it('validates IotBrokerClaims against their own XRD', async () => {
    const ok = (await dryRunApplication(join(addonsRoot, 'examples', 'iot-broker.app.yaml')))
      .objects;
    const bad: KubeObject = {
      apiVersion: 'platform.example.org/v1alpha1',
      kind: addonNames.iotBrokerKind,
      metadata: { name: 'b-iot', namespace: 'apps' },
      spec: { name: 'b', persistence: { size: 'lots' } },
    };
    const result = await crossplaneValidate([iotXrd], [...ok, bad]);
    expect(result.output).toContain('1 success cases, 1 failure cases');
    expect(result.output).toContain('spec.persistence.size: Invalid value: "lots"');
  });
});

describe("the addon's Crossplane objects (crossplane beta validate against Crossplane's CRDs)", () => {
  it("are valid XRDs, Compositions and Functions, the Compositions' function input included", async () => {
    const objects = addon.objects.filter((o) =>
      ['CompositeResourceDefinition', 'Composition', 'Function'].includes(o.kind),
    );
    // The input's CRD ships in function-compose-platform's package (package/input/).
    const { group, plural } = composeFunction.input;
    const inputCrd = parse(
      generatedFunctionFiles()[`package/input/${group}_${plural}.yaml`] as string,
    ) as KubeObject;
    const result = await crossplaneValidate([inputCrd], objects);
    // Each Composition's function input is validated as a resource of its own.
    const inputs = objects.filter((o) => o.kind === 'Composition').length;
    expect(result.output).toContain(
      `Total ${objects.length + inputs} resources: 0 missing schemas, ${objects.length + inputs} success cases, 0 failure cases`,
    );
    expect(result.output.match(/Kind=Input, +validated successfully/g)).toHaveLength(inputs);
    expect(result.exitCode).toBe(0);
  });

  it("refuses a Composition whose function input breaks the input's schema, naming the field", async () => {
    const composition = objectOf(addon, 'Composition', 'realtime-platform');
    const steps = composition.spec.pipeline as { input?: Record<string, unknown> }[];
    const input = steps[0]?.input as { release: Record<string, unknown> };
    const broken = {
      ...composition,
      spec: {
        ...composition.spec,
        pipeline: [
          { ...steps[0], input: { ...input, release: { ...input.release, waitTimeout: 'soon' } } },
          ...steps.slice(1),
        ],
      },
    };
    const { group, plural } = composeFunction.input;
    const inputCrd = parse(
      generatedFunctionFiles()[`package/input/${group}_${plural}.yaml`] as string,
    ) as KubeObject;
    const result = await crossplaneValidate([inputCrd], [broken]);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('release.waitTimeout');
  });
});
