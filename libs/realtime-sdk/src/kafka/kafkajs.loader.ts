import { createRequire } from 'node:module';

export type KafkajsModule = typeof import('kafkajs');

/**
 * The `require` kafkajs is loaded with: Node's in a service, jest's in a test (jest hands
 * `node:module`'s `createRequire` its own registry), so the speed-ups and the adapter always see
 * the same kafkajs modules as the code that imports kafkajs.
 */
export const kafkajsRequire: NodeJS.Require = createRequire(import.meta.url);

/**
 * kafkajs, loaded when a kafkajs adapter is created rather than when the SDK is imported: the
 * opt-in speed-ups must be installed before kafkajs's producer modules load.
 */
export function loadKafkajs(): KafkajsModule {
  return kafkajsRequire('kafkajs') as KafkajsModule;
}
