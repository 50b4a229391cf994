import type { Alert, VitalSign } from '../../domain/index.js';

/**
 * Pushes to the connected live clients (the WebSocket hub). Fire-and-forget: a slow or gone
 * client never fails the caller; the adapter bounds what it buffers.
 */
export interface LiveFeed {
  publishVital(vital: VitalSign): void;
  publishAlert(alert: Alert): void;
}
