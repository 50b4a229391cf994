import type { WsHub } from '@realtime-platform/realtime-sdk';
import { toAlertDto, toVitalDto, type LiveFeed } from '../../application/index.js';
import type { Alert, VitalSign } from '../../domain/index.js';
import { topicOfKind } from '../kafka/vital-topics.js';

/**
 * The live feed on the SDK's WebSocket hub. Hub topics are the Kafka topic names (a vital sign on
 * its vital topic, alerts on the alerts topic); `data` is the `VitalDto`/`AlertDto`, whose
 * top-level `deviceId` is what per-device subscriptions filter on. The hub serialises once per
 * record and bounds every client's queue, so publishing never blocks.
 */
export class WsHubLiveFeed implements LiveFeed {
  constructor(
    private readonly hub: () => WsHub,
    private readonly alertsTopic: string,
  ) {}

  publishVital(vital: VitalSign): void {
    this.hub().publish(topicOfKind[vital.kind], toVitalDto(vital), { ts: vital.recordedAt });
  }

  publishAlert(alert: Alert): void {
    this.hub().publish(this.alertsTopic, toAlertDto(alert), { ts: alert.raisedAt });
  }
}
