import { afterAll, beforeAll } from '@jest/globals';
import { LocalCluster, type LocalClusterOptions } from '../local-cluster.js';
import { localClusterErrors } from '../local-cluster-errors.js';

/** Set by tools/config/jest-environment.js: names of the tests that failed in this file. */
const FAILURES_KEY = '__rtpFailedTests';

const failedTests = (): string[] =>
  ((globalThis as Record<string, unknown>)[FAILURES_KEY] as string[] | undefined) ?? [];

/**
 * A local cluster for this test file: started before the suite, stopped after. When a test
 * failed, the tail of every control-plane log is printed first.
 */
export function useLocalCluster(
  options: LocalClusterOptions | (() => LocalClusterOptions | Promise<LocalClusterOptions>),
  startTimeoutMs = 300_000,
): () => LocalCluster {
  let cluster: LocalCluster | undefined;
  beforeAll(async () => {
    cluster = await LocalCluster.start(typeof options === 'function' ? await options() : options);
  }, startTimeoutMs);
  afterAll(async () => {
    if (!cluster) return;
    const failures = failedTests();
    if (failures.length > 0) {
      console.error(
        `[local-cluster] ${failures.length} failure(s) in this suite (${failures.join('; ')}); logs in ${cluster.runDir}:\n${cluster.logReport()}`,
      );
    }
    await cluster.stop();
  }, 120_000);
  return () => {
    if (!cluster) throw localClusterErrors.NOT_STARTED({ part: 'cluster' });
    return cluster;
  };
}
