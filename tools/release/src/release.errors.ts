import { defineErrors } from '@realtime-platform/errors';

/** Failures of packing what a release publishes. None is retriable: each needs a fix or a build. */
export const releaseErrors = defineErrors('RTP_ERR_RELEASE', {
  PACKAGE_NOT_BUILT: {
    message: (p: { name: string; missing: string }) =>
      `${p.name} is not built (${p.missing} is missing): run \`npm run build\` first`,
  },
  PACK_FAILED: {
    message: (p: { detail: string }) => `npm pack of the published packages failed: ${p.detail}`,
  },
});
