// The test a service's coded error table gets (STYLE.md, Error design): every code is
// RTP_ERR_<AREA>_<KEY>, documented in the table's docs and in the package README, and only the
// listed keys are retriable.
import { describe, expect, it } from '@jest/globals';

/** An error factory of a table made with @realtime-platform/errors' defineErrors. */
type ErrorFactory = ((params: never) => { retriable: boolean }) & { code: string };

export interface ErrorTableExpectations {
  /** The code prefix, e.g. `RTP_ERR_BRIDGE_`: each code is the prefix and its key. */
  readonly codePrefix: string;
  /** The table's documentation, one entry per key. */
  readonly docs: Readonly<Record<string, unknown>>;
  /** The package README's text, which names every code. */
  readonly readme: string;
  /** Parameters every message function of the table can format (default: anyErrorParams). */
  readonly anyParams?: Readonly<Record<string, unknown>>;
  /** The keys whose errors are retriable, in table order. */
  readonly retriable: readonly string[];
  /** The name of the retriable test: what those keys have in common. */
  readonly retriableTestName: string;
}

/** Parameters the message functions of the services' tables format (a function reads only its own). */
export const anyErrorParams: Readonly<Record<string, unknown>> = {
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

/** `describe(name)`: the table's codes, docs and README in step, and which errors are retriable. */
export function describeErrorTable(
  name: string,
  table: Readonly<Record<string, ErrorFactory>>,
  expected: ErrorTableExpectations,
): void {
  describe(name, () => {
    it('should keep code and key in step, and document every code in the README', () => {
      for (const [key, factory] of Object.entries(table)) {
        expect(factory.code).toBe(`${expected.codePrefix}${key}`);
        expect(Object.keys(expected.docs)).toContain(key);
        expect(expected.readme).toContain(`\`${factory.code}\``);
      }
    });

    it(expected.retriableTestName, () => {
      const retriable = Object.entries(table)
        .filter(([, factory]) => factory((expected.anyParams ?? anyErrorParams) as never).retriable)
        .map(([key]) => key);
      expect(retriable).toEqual([...expected.retriable]);
    });
  });
}
