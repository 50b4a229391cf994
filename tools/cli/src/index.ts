export { exitCodes, type Command } from './cli/command.js';
export {
  mintDashboardToken,
  type AccessGrantClaim,
  type DashboardTokenOptions,
} from './local-platform/dashboard-token.js';
export {
  LocalPlatform,
  maxListedDashboardDevices,
  type LocalPlatformOptions,
  type StepRunner,
} from './local-platform/local-platform.js';
export {
  platformServices,
  serviceEntry,
  serviceImage,
  type PlatformServiceName,
  type PlatformServiceSpec,
} from './local-platform/platform-services.js';
export { StepReporter } from './terminal/step-reporter.js';
