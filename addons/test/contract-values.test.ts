import { describe, expect, it } from '@jest/globals';
import { runtimeEnvCatalog, runtimeEnvSetBy } from '@realtime-platform/platform-contract';
import { realtimeEnv, reservedEnvPattern, serviceEnv } from '../src/index.js';

describe('the env names of the realtime integration', () => {
  it("should be the platform contract's runtime names", () => {
    expect(Object.values(realtimeEnv).sort()).toEqual([...runtimeEnvSetBy('trait')].sort());
    const serviceNames = runtimeEnvSetBy('realtime-service');
    for (const name of Object.values(serviceEnv)) expect(serviceNames).toContain(name);
  });

  it('should reserve secret prefixes and the names the integration sets, not the other RTP_ names', () => {
    const reserved = new RegExp(reservedEnvPattern);
    for (const name of ['KAFKA_BOOTSTRAP_SERVERS', 'MQTT_TOPIC', ...Object.values(realtimeEnv)]) {
      expect(name).toMatch(reserved);
    }
    const own = runtimeEnvCatalog
      .map((variable) => variable.name as string)
      .filter((name) => !(Object.values(realtimeEnv) as string[]).includes(name));
    for (const name of [...own, 'RTP_TOPICS_EXTRA', 'LEGACY_MODE']) {
      expect(name).not.toMatch(reserved);
    }
  });
});
