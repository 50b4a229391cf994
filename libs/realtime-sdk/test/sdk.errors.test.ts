import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { sdkErrorDocs, sdkErrors, type SdkErrorKey } from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const keys = Object.keys(sdkErrors) as SdkErrorKey[];

describe('sdkErrors', () => {
  it('every code should be RTP_ERR_SDK_<KEY>', () => {
    for (const key of keys) expect(sdkErrors[key].code).toBe(`RTP_ERR_SDK_${key}`);
  });

  it('every error should be documented in sdkErrorDocs and in the README table, and nothing else', () => {
    expect(Object.keys(sdkErrorDocs).sort()).toEqual([...keys].sort());
    // Table cells may be padded: prettier aligns tables.
    const cells = (line: string): string[] => line.split('|').map((cell) => cell.trim());
    const rows = new Map(
      readme
        .split('\n')
        .map(cells)
        .filter((row) => /^`RTP_ERR_SDK_[A-Z_]+`$/.test(row[1] ?? ''))
        .map((row) => [row[1]?.slice(1, -1), row[2]]),
    );
    for (const key of keys) expect(rows.get(sdkErrors[key].code)).toBe(sdkErrorDocs[key]);
    const documented = [...rows.keys()];
    expect(documented.sort()).toEqual(keys.map((key) => sdkErrors[key].code).sort());
  });

  it('only errors a retry can fix should be retriable', () => {
    // Any parameter reads as ['x'], which every message template can print.
    const anyParams = new Proxy({}, { get: () => ['x'] }) as never;
    const retriable = keys.filter(
      (key) => (sdkErrors[key] as (p: never) => { retriable: boolean })(anyParams).retriable,
    );
    expect(retriable.sort()).toEqual(
      [
        'KAFKA_UNREACHABLE',
        'KAFKA_TOPIC_NOT_FOUND',
        'KAFKA_PUBLISH_FAILED',
        'KAFKA_SEND_INCOMPLETE',
        'KAFKA_DLQ_PUBLISH_FAILED',
        'SCHEMA_REGISTRY_UNAVAILABLE',
        'MQTT_CONNECT_FAILED',
        'MQTT_PUBLISH_FAILED',
        // A full hub: another replica, or the same one a moment later, can take the client.
        'WS_CONNECTION_LIMIT',
      ].sort(),
    );
  });
});
