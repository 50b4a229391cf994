import type { MessageBus } from '@realtime-platform/realtime-sdk';
import type { AlertPublisher } from '../../application/index.js';
import type { Alert } from '../../domain/index.js';
import { alertMessageCodec } from './alert-message.codec.js';

export interface AlertPublishedListener {
  (alert: Alert): void;
}

/** Publishes alerts to the alerts topic (key = deviceId) through the SDK's idempotent producer. */
export class KafkaAlertPublisher implements AlertPublisher {
  constructor(
    private readonly bus: MessageBus,
    private readonly topic: string,
    private readonly onPublished: AlertPublishedListener = () => undefined,
  ) {}

  async publish(alert: Alert): Promise<void> {
    await this.bus.publish(this.topic, [{ key: alert.deviceId, value: alert }], alertMessageCodec);
    this.onPublished(alert);
  }
}
