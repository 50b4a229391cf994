import { defineErrors } from '@realtime-platform/errors';

export const generatorErrors = defineErrors('RTP_ERR_GENERATOR', {
  NAME_INVALID: {
    message: (p: { name: string; reason: string }) =>
      `service name ${JSON.stringify(p.name)} is invalid: ${p.reason}`,
  },
  NAME_TAKEN: {
    message: (p: { name: string; by: string }) =>
      `service name ${p.name} is already used by ${p.by}`,
  },
  TARGET_EXISTS: {
    message: (p: { directory: string }) =>
      `${p.directory} already exists and is not empty; choose another name or directory`,
  },
  TEMPLATE_MISSING: {
    message: (p: { directory: string }) => `the template service is missing at ${p.directory}`,
  },
});
