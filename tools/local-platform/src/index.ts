export {
  mintDashboardToken,
  type AccessGrantClaim,
  type DashboardTokenOptions,
} from './dashboard-token.js';
export {
  LocalPlatform,
  maxListedDashboardDevices,
  type LocalPlatformOptions,
  type StepRunner,
} from './local-platform.js';
export {
  platformServices,
  serviceEntry,
  serviceImage,
  serviceNodeOptions,
  type PlatformServiceName,
  type PlatformServiceSpec,
} from './platform-services.js';
