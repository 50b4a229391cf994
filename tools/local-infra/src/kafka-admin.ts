// What a local Kafka (one broker or the three-broker cluster) does as its super user: run admin
// calls on a kafkajs admin client that is always disconnected afterwards, and create the contract's
// ACLs once, after start (they live in the metadata log, so a restart keeps them).
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { planKafkaAccess, type RealtimePlatformSpec } from '@realtime-platform/platform-contract';
import { kafkajsAcl } from './kafka-server-settings.js';

/** A kafkajs admin client, as `withKafkaAdmin` hands it out. */
export type KafkaAdmin = ReturnType<Kafka['admin']>;

/** Runs `work` with an admin client connected with `config` (the super user's), then disconnects. */
export async function withKafkaAdmin<T>(
  config: Pick<KafkaConfig, 'brokers' | 'sasl' | 'ssl'>,
  work: (admin: KafkaAdmin) => Promise<T>,
): Promise<T> {
  const admin = new Kafka({
    clientId: 'local-infra-admin',
    ...config,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Creates the ACLs the contract plans for `spec` (planKafkaAccess), as the super user of `config`. */
export async function createContractAcls(
  spec: RealtimePlatformSpec,
  config: Pick<KafkaConfig, 'brokers' | 'sasl' | 'ssl'>,
): Promise<void> {
  const acls = planKafkaAccess(spec).flatMap((principal) => principal.acls);
  if (acls.length === 0) return;
  await withKafkaAdmin(config, (admin) => admin.createAcls({ acl: acls.map(kafkajsAcl) }));
}
