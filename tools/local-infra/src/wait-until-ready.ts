import { setTimeout as sleep } from 'node:timers/promises';
import { logTail } from './log-tail.js';
import { localInfraErrors } from './local-infra-errors.js';
import type { ManagedProcess } from './managed-process.js';

export interface ReadinessOptions {
  /** Resolves true once the server answers like a ready server; may throw while it isn't. */
  probe: () => Promise<boolean>;
  process: ManagedProcess;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls a real client probe until it succeeds. Fails fast if the process exits, and with the
 * log tail if time runs out - never "sleep and hope".
 */
export async function waitUntilReady({
  probe,
  process,
  timeoutMs = 60_000,
  intervalMs = 200,
}: ReadinessOptions): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!process.running) throw process.exitedError();
    try {
      if (await probe()) return;
    } catch {
      // Not ready yet: connection refused, auth not loaded, metadata not available.
    }
    await sleep(intervalMs);
  }
  if (!process.running) throw process.exitedError();
  throw localInfraErrors.NOT_READY({
    service: process.service,
    timeoutMs,
    logFile: process.logFile,
    logTail: logTail(process.logFile),
  });
}
