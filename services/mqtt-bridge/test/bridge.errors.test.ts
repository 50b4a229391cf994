import { readFileSync } from 'node:fs';
import { describeErrorTable } from '@realtime-platform/testkit';
import { bridgeErrorDocs, bridgeErrors } from '../src/bridge.errors.js';

describeErrorTable('bridgeErrors', bridgeErrors, {
  codePrefix: 'RTP_ERR_BRIDGE_',
  docs: bridgeErrorDocs,
  readme: readFileSync(new URL('../README.md', import.meta.url), 'utf8'),
  retriable: ['MQTT_CONNECT_FAILED'],
  retriableTestName: 'should make only connection failures retriable',
});
