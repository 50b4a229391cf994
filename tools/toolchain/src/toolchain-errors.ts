import { defineErrors } from '@realtime-platform/errors';

export const toolchainErrors = defineErrors('RTP_ERR_TOOLCHAIN', {
  /** A tool the install script should have provided is not there. */
  MISSING: {
    message: (p: { tool: string; hint: string }) => `${p.tool} is not installed: ${p.hint}`,
  },
  /** helm ran and exited non-zero; its stderr is the message (schema failures name the value). */
  HELM_FAILED: {
    message: (p: { command: string; exitCode: number | undefined; stderr: string }) =>
      `helm ${p.command} failed (exit ${p.exitCode ?? 'signal'}): ${p.stderr.trim()}`,
  },
  /** buildah ran and exited non-zero; its stderr is the message. */
  BUILDAH_FAILED: {
    message: (p: { command: string; exitCode: number | undefined; stderr: string }) =>
      `buildah ${p.command} failed (exit ${p.exitCode ?? 'signal'}): ${p.stderr.trim()}`,
  },
});
