import { setTimeout as sleep } from 'node:timers/promises';
import { LocalPlatform } from '@realtime-platform/local-platform';
import { deviceMqttTopic } from '@realtime-platform/platform-contract';
import { ArrivalWatch } from './arrival-watch.js';
import { faults, type FaultName } from './drill-faults.js';
import { auditPipeline, type AuditTarget } from './pipeline-audit.js';
import { expectedAlertIds, ReadingStream, type PublishedReading } from './reading-stream.js';

export interface DrillOptions {
  readonly faults: readonly FaultName[];
  /** Readings per second during each drill, over `devices` devices. */
  readonly rate: number;
  readonly devices: number;
  /** Readings flow this long before the fault and after the component is back. */
  readonly steadyMs: number;
  /** Multiplies every fault's outage (1 = the durations). */
  readonly outageScale: number;
  /** How long a drill may take to deliver everything after publishing stopped. */
  readonly drainTimeoutMs: number;
  readonly log?: (line: string) => void;
}

export const defaultDrillOptions: Omit<DrillOptions, 'faults'> = {
  rate: 500,
  devices: 100,
  steadyMs: 10_000,
  outageScale: 1,
  drainTimeoutMs: 180_000,
};

/** One fault's figures: readings sent, acknowledged, delivered, lost; alerts; recovery. */
export interface DrillResult {
  readonly fault: FaultName;
  readonly what: string;
  readonly outageMs: number;
  readonly sent: number;
  /** PUBACKs received by the publisher. */
  readonly acknowledged: number;
  /** Distinct readings (acknowledged or not) present in every one of the four vital topics. */
  readonly delivered: number;
  /** Acknowledged readings missing from `device_data` or from any vital topic. */
  readonly lost: number;
  readonly lostIds: readonly string[];
  /** Copies beyond the first (at-least-once redeliveries) in device_data, and in the heart-rate topic. */
  readonly duplicatesIn: number;
  readonly duplicatesOut: number;
  /** Records of the drill's (valid) readings in any DLQ. */
  readonly deadLettered: number;
  readonly alertsExpected: number;
  readonly alertsStored: number;
  /** Expected alerts absent from the database, and stored alerts nobody expected. */
  readonly alertsMissing: readonly string[];
  readonly alertsUnexpected: readonly string[];
  /** Expected alerts never published on the alerts topic. */
  readonly alertsUnpublished: number;
  /**
   * From the component being back (a server: its restart answered; a service: its restart began)
   * to the pipeline delivering again (readings in the vital topics, or alerts in the database).
   */
  readonly recoverySeconds: number | undefined;
}

/**
 * Runs the fault drills one after another on one local platform (real Kafka, Mosquitto,
 * PostgreSQL, Schema Registry; the bridge, the processor and the realtime service as processes).
 * Each drill has devices of its own, so the figures of one never include another's readings.
 */
export async function runDrills(options: DrillOptions): Promise<DrillResult[]> {
  const log = options.log ?? (() => undefined);
  log('starting the local platform');
  const platform = await LocalPlatform.start({
    name: 'drills',
    services: ['mqtt-bridge', 'stream-processor', 'realtime-service'],
    simulator: false,
    mqttBroker: 'mosquitto',
  });
  const target = auditTargetOf(platform);
  const watch = await ArrivalWatch.start(target);
  const streams: ReadingStream[] = [];
  try {
    const runs: { fault: FaultName; stream: ReadingStream; injected: number; back: number }[] = [];
    for (const name of options.faults) {
      const fault = faults[name];
      const prefix = `drill-${name}`;
      watch.followAlerts(prefix);
      const stream = await ReadingStream.connect({
        mqttUrl: platform.mqtt.mqttUrl,
        // A gateway: it may publish readings of any device on the requirements' topic.
        credentials: platform.mqtt.credentials.gateway,
        topic: deviceMqttTopic,
        devicePrefix: prefix,
        devices: options.devices,
        rate: options.rate,
        clientId: `drill-publisher-${name}`,
      });
      streams.push(stream);
      log(`${name}: readings flowing (${options.rate}/s over ${options.devices} devices)`);
      stream.start();
      await sleep(options.steadyMs);
      log(`${name}: ${fault.what}`);
      await fault.inject(platform);
      // Readings sent from here on can only come through once the part is back.
      const injected = Date.now();
      await sleep(fault.outageMs * options.outageScale);
      const restarting = Date.now();
      await fault.restore(platform);
      const back = fault.backWhen === 'restarting' ? restarting : Date.now();
      log(`${name}: back; readings keep flowing`);
      await sleep(options.steadyMs);
      await stream.stop();
      await waitForDelivery(watch, stream, options.drainTimeoutMs);
      runs.push({ fault: name, stream, injected, back });
    }
    log('auditing every topic and the alerts table');
    const results: DrillResult[] = [];
    for (const { fault: name, stream, injected, back } of runs) {
      const fault = faults[name];
      const prefix = `drill-${name}`;
      const findings = await auditPipeline(target, prefix);
      const acknowledged = stream.acknowledged();
      const lostIds = acknowledged
        .filter((r) => !findings.deviceData.has(r.id) || !findings.inEveryVitalTopic.has(r.id))
        .map((r) => r.id);
      const delivered = stream.readings.filter((r) => findings.inEveryVitalTopic.has(r.id));
      const expected = expectedAlertIds(delivered);
      // The first reading (or alert of a reading) sent after the fault that came through.
      const recoveredAt =
        fault.recoveredBy === 'alerts'
          ? watch.firstAlertOfReadingsAfter(prefix, injected)
          : watch.firstArrivalOf(
              stream.readings.filter((r) => r.sentAt >= injected).map((r) => r.id),
            );
      results.push({
        fault: name,
        what: fault.what,
        outageMs: fault.outageMs * options.outageScale,
        sent: stream.readings.length,
        acknowledged: acknowledged.length,
        delivered: delivered.length,
        lost: lostIds.length,
        lostIds: lostIds.slice(0, 20),
        duplicatesIn: findings.deviceDataDuplicates,
        duplicatesOut: findings.vitalDuplicates,
        deadLettered: findings.deadLetters,
        alertsExpected: expected.size,
        alertsStored: findings.storedAlerts.size,
        alertsMissing: [...expected].filter((id) => !findings.storedAlerts.has(id)),
        alertsUnexpected: [...findings.storedAlerts].filter((id) => !expected.has(id)),
        alertsUnpublished: [...expected].filter((id) => !findings.publishedAlerts.has(id)).length,
        recoverySeconds:
          recoveredAt === undefined ? undefined : Math.max(0, recoveredAt - back) / 1000,
      });
    }
    return results;
  } finally {
    for (const stream of streams) await stream.close();
    await watch.stop();
    await platform.stop();
  }
}

/** Where the audit and the watch read: the platform's Kafka, registry and service database. */
function auditTargetOf(platform: LocalPlatform): AuditTarget {
  return {
    // The provisioning principal: the audit reads every topic, as no application may.
    kafka: platform.kafka.kafkajsConfig('admin'),
    schemaRegistry: {
      url: platform.schemaRegistry.url,
      credentials: platform.schemaRegistry.credentials('admin'),
    },
    database: platform.postgres.connectionConfig(),
  };
}

/**
 * Waits until every acknowledged reading reached the heart-rate topic and every alert those
 * readings call for is stored (or the timeout passes: the audit then reports what is missing).
 */
async function waitForDelivery(
  watch: ArrivalWatch,
  stream: ReadingStream,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const acknowledged = stream.acknowledged();
    const arrived = acknowledged.every((reading) => watch.readings.has(reading.id));
    const delivered: PublishedReading[] = stream.readings.filter((r) => watch.readings.has(r.id));
    const alerts = [...expectedAlertIds(delivered)].every((id) => watch.alerts.has(id));
    if (arrived && alerts) return;
    await sleep(500);
  }
}
