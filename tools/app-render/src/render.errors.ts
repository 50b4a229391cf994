import { defineErrors } from '@realtime-platform/errors';

/**
 * What rendering an Application can fail with besides invalid input (invalid input is returned
 * as problems, never thrown): a tool that is not installed, or a tool that failed for a reason
 * that is not the input's.
 */
export const renderErrors = defineErrors('RTP_ERR_ADDON_RENDER', {
  /** A Go-built CLI (vela, crossplane, cue, a composition function) or helm is not installed. */
  TOOL_MISSING: {
    message: (p: { tool: string; hint: string }) => `${p.tool} is not installed: ${p.hint}`,
  },
  /** A tool failed on input this library produced itself, so the fault is not the Application's. */
  TOOL_FAILED: {
    message: (p: { tool: string; step: string; output: string }) =>
      `${p.tool} failed while ${p.step}: ${p.output.trim()}`,
  },
  /** A composition function did not start listening on its port. */
  FUNCTION_NOT_LISTENING: {
    message: (p: { name: string; address: string }) =>
      `composition function ${p.name} does not listen on ${p.address}`,
  },
  /** The addon's template.cue renders no object of this kind and name (an addon defect). */
  ADDON_OBJECT_MISSING: {
    message: (p: { kind: string; name: string }) => `the addon renders no ${p.kind}/${p.name}`,
  },
  /** A composed Release installs a chart this repository does not have. */
  CHART_NOT_FOUND: {
    message: (p: { chart: string; release: string; chartsDir: string }) =>
      `Release ${p.release} installs chart "${p.chart}", which is not in ${p.chartsDir}`,
  },
});
