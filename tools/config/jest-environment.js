// A node test environment that records failing tests in the test file's global scope.
// Infrastructure fixtures (tools/local-infra) read it in afterAll to decide whether to print
// the broker logs: quiet on success, full context on failure. It also removes the servers' run
// directories (tools/local-infra makeRunDir registers them) after a file whose tests all passed:
// brokers' data and logs are gigabytes per CI run; a failed file's stay for their logs.
import { rm } from 'node:fs/promises';
import process from 'node:process';
import { TestEnvironment } from 'jest-environment-node';

export const FAILURES_KEY = '__rtpFailedTests';
export const RUN_DIRS_KEY = '__rtpRunDirs';

export default class FailureAwareEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global[FAILURES_KEY] = [];
    this.global[RUN_DIRS_KEY] = [];
  }

  async teardown() {
    const failed = this.global[FAILURES_KEY].length > 0;
    if (!failed && !process.env.RTP_KEEP_RUN_DIRS) {
      await Promise.all(
        this.global[RUN_DIRS_KEY].map((dir) =>
          rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined),
        ),
      );
    }
    await super.teardown();
  }

  async handleTestEvent(event) {
    if (event.name === 'test_done' && event.test.errors.length > 0) {
      this.global[FAILURES_KEY].push(event.test.name);
    }
    if (event.name === 'hook_failure') {
      this.global[FAILURES_KEY].push(`${event.hook.type} hook`);
    }
  }
}
