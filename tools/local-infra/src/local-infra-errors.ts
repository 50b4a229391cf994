import { defineErrors } from '@realtime-platform/errors';

export const localInfraErrors = defineErrors('RTP_ERR_INFRA', {
  /** A server did not become ready in time; the log tail says why. */
  NOT_READY: {
    message: (p: { service: string; timeoutMs: number; logFile: string; logTail: string }) =>
      `${p.service} was not ready after ${p.timeoutMs} ms (log: ${p.logFile})\n${p.logTail}`,
  },
  /** A server process exited while we waited for it or before we stopped it. */
  EXITED: {
    message: (p: {
      service: string;
      exitCode: number | null;
      signal: string | null;
      logFile: string;
      logTail: string;
    }) =>
      `${p.service} exited (code ${p.exitCode}, signal ${p.signal}) (log: ${p.logFile})\n${p.logTail}`,
  },
  /** A one-shot setup command (initdb, kafka-storage format, mosquitto_passwd) failed. */
  SETUP_FAILED: {
    message: (p: { step: string; output: string }) => `${p.step} failed:\n${p.output}`,
  },
  /** An image whose configuration runs it as root (or names its user instead of a numeric uid). */
  IMAGE_RUNS_AS_ROOT: {
    message: (p: { image: string; user: string }) =>
      `${p.image} runs as user "${p.user || 'root'}": images must name a numeric non-root uid (USER 65532:65532)`,
  },
  /** A server's HTTP API answered a request with an error (the server runs, the request failed). */
  API_FAILED: {
    message: (p: { service: string; request: string; status: number; body: string }) =>
      `${p.service} refused ${p.request}: HTTP ${p.status} ${p.body}`,
  },
  /** The OS kept offering ports this process had already handed out. */
  NO_FREE_PORT: {
    message: (p: { host: string; probes: number }) =>
      `no port on ${p.host} that this process has not handed out already after ${p.probes} probes`,
    retriable: true,
  },
  /** A memory limit was asked for, but this machine lets us create no memory cgroup (not root, no controller). */
  CGROUP_UNAVAILABLE: {
    message: (p: { reason: string }) =>
      `cannot run a service under a memory limit: ${p.reason} (needs root or a delegated cgroup subtree)`,
  },
  /** Used before start() resolved, or after stop(). */
  NOT_STARTED: {
    message: (p: { service: string }) =>
      `${p.service} is not running (use it between beforeAll and afterAll)`,
  },
});
