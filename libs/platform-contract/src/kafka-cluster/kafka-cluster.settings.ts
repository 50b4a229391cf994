/**
 * How many Kafka brokers a platform runs, and the durability settings that go with the count: one
 * source for the chart's brokers, the topic provisioning and local-infra's loopback cluster.
 *
 * One broker (fast-data-dev, the default) is a development setup: every topic has one copy. Three
 * brokers is the production setup: every topic, the consumer offsets and the transaction log have
 * three copies, and a write acknowledged with acks=all is on at least two of them
 * (`min.insync.replicas=2`), so one broker may fail or be drained without losing an acknowledged
 * record or stopping writes; with two down, writes are refused (NOT_ENOUGH_REPLICAS) instead of
 * being acknowledged on a single copy.
 */
export const kafkaBrokerCounts = [1, 3] as const;
export type KafkaBrokerCount = (typeof kafkaBrokerCounts)[number];
export const defaultKafkaBrokers: KafkaBrokerCount = 1;

/**
 * A multi-broker Kafka runs its KRaft controller quorum on nodes of their own, three of them (one
 * may fail). Not combined broker+controller nodes: with two of three combined nodes down the quorum
 * is lost too, nobody can shrink the in-sync replicas, and acks=all writes hang until they time out
 * instead of being refused with NOT_ENOUGH_REPLICAS; with a quorum of its own the surviving broker
 * is told its peers are gone and refuses at once.
 */
export const kafkaControllerCount = 3;

/** KRaft node ids: brokers 0.., controllers from here (the two must never collide). */
export const kafkaControllerNodeIdBase = 100;

/** The controllers' StatefulSet and headless Service: `{name}-kafka-controller-<ordinal>` pods. */
export const kafkaControllerSuffix = 'kafka-controller';

/**
 * The ports a multi-broker Kafka uses between its own pods (clients use the `kafka` Service's):
 * `internal` is pod-local (the provisioning principal's PLAIN login, for SCRAM changes),
 * `replication` the brokers' inter-broker listener (SCRAM), `controller` the KRaft quorum's.
 */
export const kafkaClusterPorts = { internal: 9093, replication: 9094, controller: 9095 } as const;

/** The suffix of the headless Service that gives each broker pod its own DNS name. */
export const kafkaHeadlessServiceSuffix = 'kafka-headless';

/** The broker pods' StatefulSet is named like the Kafka Service: `{name}-kafka-<ordinal>` pods. */
export const kafkaBrokerStatefulSetSuffix = 'kafka';

/** Broker settings of a Kafka of `brokers` brokers (server.properties keys). */
export function kafkaReplicationSettings(
  brokers: KafkaBrokerCount,
): Readonly<Record<string, number>> {
  const copies = brokers;
  const minInSync = brokers === 1 ? 1 : 2;
  return {
    'default.replication.factor': copies,
    'min.insync.replicas': minInSync,
    'offsets.topic.replication.factor': copies,
    'transaction.state.log.replication.factor': copies,
    'transaction.state.log.min.isr': minInSync,
  };
}

/** The replication factor of every topic the platform creates (the plan's topics and their DLQs). */
export function kafkaTopicReplicationFactor(brokers: KafkaBrokerCount): number {
  return brokers;
}

/**
 * The broker pods' fully qualified hosts, `{name}-kafka-<i>.{name}-kafka-headless.<namespace>.svc.<domain>`,
 * for a cluster of more than one broker (what each broker advertises and what the kafka secret's
 * bootstrap list names); empty for one broker, which is reached through its Service.
 */
export function kafkaBrokerPodHosts(
  name: string,
  brokers: KafkaBrokerCount,
  namespace: string,
  clusterDomain: string,
): string[] {
  if (brokers === 1) return [];
  return Array.from(
    { length: brokers },
    (_, ordinal) =>
      `${name}-${kafkaBrokerStatefulSetSuffix}-${ordinal}.${name}-${kafkaHeadlessServiceSuffix}.${namespace}.svc.${clusterDomain}`,
  );
}
