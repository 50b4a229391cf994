import type { Alert } from '../../domain/index.js';

/** Tells other services about an alert (the alerts topic). Rejects with a coded error. */
export interface AlertPublisher {
  publish(alert: Alert): Promise<void>;
}
