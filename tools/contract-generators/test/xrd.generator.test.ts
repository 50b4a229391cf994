import { describe, expect, it } from '@jest/globals';
import {
  claimCelRules,
  claimSpecSchema,
  type ClaimJsonSchema,
} from '@realtime-platform/platform-contract';
import { renderXrd } from '../src/index.js';

type Xrd = {
  metadata: { name: string };
  spec: {
    group: string;
    names: { kind: string; plural: string };
    claimNames: { kind: string; plural: string };
    versions: {
      name: string;
      served: boolean;
      referenceable: boolean;
      schema: { openAPIV3Schema: ClaimJsonSchema };
    }[];
  };
};

const xrd = renderXrd() as unknown as Xrd;
const version = xrd.spec.versions[0];
const schema = version?.schema.openAPIV3Schema;
const spec = schema?.properties?.spec;
const status = schema?.properties?.status;
const keysOf = (node: ClaimJsonSchema | undefined) => Object.keys(node?.properties ?? {});

describe('renderXrd', () => {
  it('defines xrealtimeplatformclaims.platform.example.org with the RealtimePlatformClaim claim', () => {
    expect(xrd.metadata.name).toBe('xrealtimeplatformclaims.platform.example.org');
    expect(xrd.spec.group).toBe('platform.example.org');
    expect(xrd.spec.names).toEqual({
      kind: 'XRealtimePlatformClaim',
      plural: 'xrealtimeplatformclaims',
    });
    expect(xrd.spec.claimNames).toEqual({
      kind: 'RealtimePlatformClaim',
      plural: 'realtimeplatformclaims',
    });
    expect([version?.name, version?.served, version?.referenceable]).toEqual([
      'v1alpha1',
      true,
      true,
    ]);
  });

  it('uses the contract claim schema as spec, requiring spec', () => {
    expect(schema?.required).toEqual(['spec']);
    expect(spec).toBe(claimSpecSchema);
  });

  it('enforces the cross-field rules at admission with CEL', () => {
    expect(spec?.['x-kubernetes-validations']).toEqual([
      claimCelRules.mqttUsersWithoutIot,
      claimCelRules.dashboardCannotReadDatabase,
    ]);
    expect(spec?.properties?.scaling?.['x-kubernetes-validations']).toEqual([
      claimCelRules.scalingMinAboveMax,
    ]);
    expect(spec?.properties?.snowflake?.['x-kubernetes-validations']).toEqual([
      claimCelRules.snowflakeSecretMissing,
    ]);
    expect(spec?.properties?.topics?.items?.['x-kubernetes-validations']).toEqual([
      claimCelRules.topicNameReserved,
    ]);
    expect(spec?.properties?.mqttUsers?.items?.['x-kubernetes-validations']).toEqual([
      claimCelRules.mqttPasswordInline,
    ]);
  });

  it('has the requirements status: ready, message, secrets and endpoints', () => {
    expect(keysOf(status)).toEqual(['ready', 'message', 'secrets', 'endpoints']);
    expect(keysOf(status?.properties?.secrets)).toEqual([
      'mqtt',
      'kafka',
      'database',
      'metabase',
      'lenses',
    ]);
    expect(keysOf(status?.properties?.endpoints)).toEqual([
      'lensesUI',
      'metabaseUI',
      'mqttWebSocket',
    ]);
  });
});
