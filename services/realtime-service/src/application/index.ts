export { applicationErrors } from './application.errors.js';
export type * from './ports/index.js';
export { alertFromDto, toAlertDto, type AlertDto } from './dto/alert.dto.js';
export {
  toDeviceVitalsDto,
  toVitalDto,
  type DeviceVitalsDto,
  type VitalDto,
} from './dto/vital.dto.js';
export { StreamLiveVitalUseCase } from './stream-live-vitals/stream-live-vital.use-case.js';
export { GetLatestVitalsUseCase } from './get-latest-vitals/get-latest-vitals.use-case.js';
export { RaiseAlertsUseCase } from './raise-alerts/raise-alerts.use-case.js';
export { StreamLiveAlertUseCase } from './stream-live-alerts/stream-live-alert.use-case.js';
export {
  ListRecentAlertsUseCase,
  alertListLimits,
  type ListRecentAlertsInput,
} from './list-recent-alerts/list-recent-alerts.use-case.js';
