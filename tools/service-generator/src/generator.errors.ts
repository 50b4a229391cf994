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
  STANDALONE_INSIDE_WORKSPACE: {
    message: (p: { directory: string; workspaceRoot: string }) =>
      `a standalone service must live outside the monorepo (${p.workspaceRoot}), got ${p.directory}: ` +
      'Node would resolve its packages from the monorepo and hide what its own install lacks',
  },
  STANDALONE_INSTALL_FAILED: {
    message: (p: { directory: string; detail: string }) =>
      `npm could not resolve the dependencies of ${p.directory} (package-lock.json): ${p.detail}`,
    retriable: true,
  },
  TEMPLATE_NODE_IMAGE_MISSING: {
    message: (p: { dockerfile: string }) =>
      `the template's Dockerfile names no base image (ARG NODE_IMAGE=...): ${p.dockerfile}`,
  },
  TEMPLATE_MISSING: {
    message: (p: { directory: string }) => `the template service is missing at ${p.directory}`,
  },
});
