import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { bridgeErrorDocs, bridgeErrors } from '../src/bridge.errors.js';

/** Parameters every message function of the table can format. */
const anyParams = {
  problems: ['p'],
  bytes: 1,
  maxBytes: 1,
  url: 'mqtt://broker:1883',
  reason: 'r',
  username: 'u',
  code: 1,
  filter: 'f',
  argument: '--x',
  deviceId: 'd',
  publisher: 'p',
  dropped: 1,
  limit: 1,
};

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('bridgeErrors', () => {
  it('should keep code and key in step, and document every code in the README', () => {
    for (const [key, factory] of Object.entries(bridgeErrors)) {
      expect(factory.code).toBe(`RTP_ERR_BRIDGE_${key}`);
      expect(Object.keys(bridgeErrorDocs)).toContain(key);
      expect(readme).toContain(`\`${factory.code}\``);
    }
  });

  it('should make only connection failures retriable', () => {
    const retriable = Object.entries(bridgeErrors)
      .filter(([, factory]) => factory(anyParams as never).retriable)
      .map(([key]) => key);
    expect(retriable).toEqual(['MQTT_CONNECT_FAILED']);
  });
});
