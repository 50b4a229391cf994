import {
  mapDecoded,
  type Codec,
  type Logger,
  type MessageBus,
  type SchemaRegistryClient,
  type Subscription,
} from '@realtime-platform/realtime-sdk';
import type {
  RaiseAlertsUseCase,
  StreamLiveAlertUseCase,
  StreamLiveVitalUseCase,
} from '../../application/index.js';
import type { Alert, VitalSign } from '../../domain/index.js';
import type { ServiceConfig } from '../config/service-config.js';
import { alertMessageCodec } from './alert-message.codec.js';
import { vitalFromRecord, vitalRecordCodec, type VitalRecordValue } from './vital-record.codec.js';
import { isVitalTopic, kindOfTopic } from './vital-topics.js';

/** A record of the live feed: a vital sign or an alert. */
export type LiveMessage =
  | { readonly type: 'vital'; readonly vital: VitalSign }
  | { readonly type: 'alert'; readonly alert: Alert };

/** Decodes the vital topics (Avro) and the alerts topic (JSON) into domain objects. */
export function liveMessageCodec(
  registry: SchemaRegistryClient,
  alertsTopic: string,
): Codec<LiveMessage> {
  const vitals = vitalRecordCodec(registry);
  return {
    name: 'live-feed',
    async encode(message, context) {
      if (message.type === 'alert') return alertMessageCodec.encode(message.alert, context);
      throw new Error('live messages are only decoded');
    },
    decode(bytes, context) {
      if (context.topic === alertsTopic) {
        return mapDecoded(alertMessageCodec.decode(bytes, context), (alert) => ({
          type: 'alert' as const,
          alert,
        }));
      }
      const { topic } = context;
      return mapDecoded(vitals.decode(bytes, context), (record): LiveMessage => {
        if (!isVitalTopic(topic)) throw new Error(`unexpected topic ${topic}`);
        return { type: 'vital', vital: vitalFromRecord(topic, record) };
      });
    },
  };
}

export interface VitalStreamConsumersOptions {
  readonly bus: MessageBus;
  readonly registry: SchemaRegistryClient;
  readonly config: ServiceConfig;
  /** RTP_CONSUMER_GROUP (the SDK's `consumerGroup`). */
  readonly consumerGroup: string;
  readonly streamLiveVital: StreamLiveVitalUseCase;
  readonly streamLiveAlert: StreamLiveAlertUseCase;
  readonly raiseAlerts: RaiseAlertsUseCase;
  readonly logger: Logger;
}

/**
 * The service's two Kafka consumers (SDK subscriptions):
 *
 * - **live feed** (`RTP_CONSUMER_MODE`, broadcast by default): the vital topics and the alerts
 *   topic → the WebSocket hub. In broadcast mode every replica gets every record, so every
 *   replica serves all of its clients.
 * - **alert rules** (shared group `<RTP_CONSUMER_GROUP>.alert-rules`): the vital topics → the
 *   rules; each record is evaluated by one replica, which stores and publishes the alert; every
 *   replica's live feed then receives it from the alerts topic. Its offsets survive restarts, so
 *   readings that arrive while the service is down still raise alerts when it is back.
 *
 * Records that cannot be decoded or are invalid go to `<topic>.dlq` (SDK); a store or publish
 * failure is retried (retriable coded errors) and the record is not committed until it succeeds.
 */
export class VitalStreamConsumers {
  private subscriptions: Subscription[] = [];

  constructor(private readonly options: VitalStreamConsumersOptions) {}

  async start(): Promise<void> {
    const { bus, registry, config, consumerGroup, logger } = this.options;
    const live = await bus.subscribe<LiveMessage>({
      topics: [...config.vitalTopics, config.alertsTopic],
      mode: config.consumerMode,
      groupId: consumerGroup,
      codec: liveMessageCodec(registry, config.alertsTopic),
      // A partition's batch per call: the per-record path cost more than the work itself
      // (profiled in the pipeline bench; see tools/bench/README.md).
      batchHandler: (records) => {
        for (const { value: message } of records) {
          if (message.type === 'vital') this.options.streamLiveVital.execute(message.vital);
          else this.options.streamLiveAlert.execute(message.alert);
        }
      },
    });
    this.subscriptions.push(live);

    const ruleKinds = new Set(config.alertRules.map((rule) => rule.kind));
    const ruleTopics = config.vitalTopics.filter((topic) => ruleKinds.has(kindOfTopic[topic]));
    if (ruleTopics.length > 0) {
      const codec = vitalRecordCodec(registry);
      let restoredFor: number | undefined;
      const rules = await bus.subscribe<VitalRecordValue>({
        topics: ruleTopics,
        mode: 'shared',
        groupId: `${consumerGroup}.alert-rules`,
        codec,
        // In offset order; a retriable failure retries the batch, and the alert ids make the
        // retried alerts the same rows (ON CONFLICT DO NOTHING). The rules' state is reloaded
        // whenever the partitions were (re)assigned: at start, and after a rebalance.
        batchHandler: async (records, { assignment }) => {
          if (assignment !== restoredFor) {
            await this.options.raiseAlerts.restoreState();
            restoredFor = assignment;
          }
          for (const record of records) {
            if (!isVitalTopic(record.topic)) continue;
            const raised = this.options.raiseAlerts.execute(
              vitalFromRecord(record.topic, record.value),
            );
            // Awaited only when a rule tripped or cleared (a promise); else answered at once.
            const alerts = raised instanceof Promise ? await raised : raised;
            for (const alert of alerts)
              logger.info({ alert: alert.id, severity: alert.severity }, 'alert raised');
          }
        },
      });
      this.subscriptions.push(rules);
    } else {
      logger.warn('no alert rule reads the consumed topics: alerting is off');
    }
  }

  /** Finishes the records in hand and commits (the SDK bus also does this on close). */
  async stop(): Promise<void> {
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
  }
}
