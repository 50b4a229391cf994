// The charts' READMEs state the contract's Kafka security only where it is marked, and the marked
// values are what the generator writes from the contract today (fix a failure with
// `npx nx run charts:build`): the README cannot tell operators another protocol or mechanism than
// the one the brokers and the kafka secret use.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartContract, chartsRoot, contractCharts } from '../src/contract-files.js';
import {
  generatedReadmeFiles,
  markedFacts,
  withContractFacts,
  withoutMarkedFacts,
} from '../src/readme-contract-facts.js';

const security = chartContract('realtime-platform').kafkaSecurity as {
  protocol: string;
  saslMechanism: string;
};
const readme = (chart: string): string =>
  readFileSync(join(chartsRoot, chart, 'README.md'), 'utf8');
/** Whether `word` stands in `text` as a whole word (SCRAM-SHA-512 is not SCRAM-SHA-512X). */
const states = (text: string, word: string): boolean =>
  new RegExp(`(^|[^A-Za-z0-9_-])${word}([^A-Za-z0-9_-]|$)`).test(text);

describe('README contract facts', () => {
  it.each(contractCharts)(
    '%s/README.md states the Kafka security protocol and mechanism only in marked places',
    (chart) => {
      const text = withoutMarkedFacts(readme(chart));
      expect(Object.values(security).filter((word) => states(text, word))).toEqual([]);
    },
  );

  it("marks the realtime-platform README's statements of the protocol and the mechanism", () => {
    expect(new Set(markedFacts(readme('realtime-platform')).map(({ path }) => path))).toEqual(
      new Set(['kafkaSecurity.protocol', 'kafkaSecurity.saslMechanism']),
    );
  });

  it('the marked facts are the contract values the generator writes', async () => {
    const generated = await generatedReadmeFiles();
    expect(Object.keys(generated)).toEqual(['realtime-platform/README.md']);
    for (const [path, content] of Object.entries(generated)) {
      expect(readFileSync(join(chartsRoot, path), 'utf8')).toBe(content);
    }
  });

  it('writes what the contract says, and refuses a marker naming no contract value', () => {
    const text = 'listens with <!-- contract:kafkaSecurity.protocol -->OLD<!-- /contract --> only';
    expect(withContractFacts(text, { kafkaSecurity: { protocol: 'SASL_SSL' } })).toBe(
      'listens with <!-- contract:kafkaSecurity.protocol -->SASL_SSL<!-- /contract --> only',
    );
    expect(() => withContractFacts(text, { kafkaSecurity: {} })).toThrow(
      'README marker contract:kafkaSecurity.protocol',
    );
  });
});
