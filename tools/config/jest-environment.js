// A node test environment that records failing tests in the test file's global scope.
// Infrastructure fixtures (libs/local-infra) read it in afterAll to decide whether to print
// the broker logs: quiet on success, full context on failure.
import { TestEnvironment } from 'jest-environment-node';

export const FAILURES_KEY = '__rtpFailedTests';

export default class FailureAwareEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global[FAILURES_KEY] = [];
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
