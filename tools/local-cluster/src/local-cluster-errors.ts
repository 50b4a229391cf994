import { defineErrors } from '@realtime-platform/errors';

export const localClusterErrors = defineErrors('RTP_ERR_CLUSTER', {
  /** A condition the harness waited for did not hold in time; the last observation says why. */
  TIMEOUT: {
    message: (p: { what: string; timeoutMs: number; lastObservation: string }) =>
      `timed out after ${p.timeoutMs} ms waiting for ${p.what}; last observation: ${p.lastObservation}`,
  },
  /** The API server answered a harness request with an error status. */
  API_REQUEST_FAILED: {
    message: (p: { method: string; path: string; status: number; body: string }) =>
      `${p.method} ${p.path} -> ${p.status}: ${p.body}`,
  },
  /** A one-shot command the harness runs (openssl, kubectl apply, crossplane xpkg) failed. */
  COMMAND_FAILED: {
    message: (p: { command: string; exitCode: number | undefined; output: string }) =>
      `${p.command} failed (exit ${p.exitCode ?? 'signal'}):\n${p.output.trim()}`,
  },
  /** Used before start() resolved or after stop(). */
  NOT_STARTED: {
    message: (p: { part: string }) =>
      `the local cluster's ${p.part} is not running (start the cluster with it)`,
  },
  /** A process that runs in its own network and mount namespace could not be isolated. */
  SANDBOX_UNAVAILABLE: {
    message: (p: { reason: string }) =>
      `cannot give a pod process its own network and mount namespace: ${p.reason}`,
  },
});
