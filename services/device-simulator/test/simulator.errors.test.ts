import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { simulatorErrorDocs, simulatorErrors } from '../src/simulator.errors.js';

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
};

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('simulatorErrors', () => {
  it('should keep code and key in step, and document every code in the README', () => {
    for (const [key, factory] of Object.entries(simulatorErrors)) {
      expect(factory.code).toBe(`RTP_ERR_SIMULATOR_${key}`);
      expect(Object.keys(simulatorErrorDocs)).toContain(key);
      expect(readme).toContain(`\`${factory.code}\``);
    }
  });

  it('should make only connection failures retriable', () => {
    const retriable = Object.entries(simulatorErrors)
      .filter(([, factory]) => factory(anyParams as never).retriable)
      .map(([key]) => key);
    expect(retriable).toEqual(['MQTT_CONNECT_FAILED']);
  });
});
