import { readFileSync } from 'node:fs';
import { describeErrorTable } from '@realtime-platform/testkit';
import { simulatorErrorDocs, simulatorErrors } from '../src/simulator.errors.js';

describeErrorTable('simulatorErrors', simulatorErrors, {
  codePrefix: 'RTP_ERR_SIMULATOR_',
  docs: simulatorErrorDocs,
  readme: readFileSync(new URL('../README.md', import.meta.url), 'utf8'),
  retriable: ['MQTT_CONNECT_FAILED'],
  retriableTestName: 'should make only connection failures retriable',
});
