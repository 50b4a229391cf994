import { describe, expect, it } from '@jest/globals';
import * as sdk from '../src/index.js';
import type {
  ConsumedRecord,
  MessageBus,
  RealtimeConfig,
  ServerFrame,
  SubscribeOptions,
  WsHubPluginInput,
} from '../src/index.js';

// Compile-time checks (lint runs tsc on tests): the public types say what the README says.
type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

assertType<Equals<ServerFrame['type'], 'data' | 'ack' | 'gap' | 'error'>>();
assertType<Equals<SubscribeOptions<unknown>['mode'], 'broadcast' | 'shared'>>();
assertType<Equals<ConsumedRecord<{ bpm: number }>['value'], { bpm: number }>>();
assertType<Equals<RealtimeConfig['wsAuth']['mode'], 'jwt' | 'disabled'>>();
// Authentication cannot be left out of the plugin options.
assertType<Equals<undefined extends WsHubPluginInput['auth'] ? true : false, false>>();
// The MessageBus port is what applications and the SDK program against.
const _port: (keyof MessageBus)[] = [
  'connect',
  'publish',
  'subscribe',
  'subscriptions',
  'checkReachable',
  'close',
];

describe('public API', () => {
  it('should export every layer from the single entry point', () => {
    const names = [
      'loadRealtimeConfig',
      'sdkEnvCatalog',
      'SdkMetrics',
      'createLogger',
      'KafkajsMessageBus',
      'jsonCodec',
      'avroCodec',
      'SchemaRegistryClient',
      'deadLetterHeaders',
      'MqttBus',
      'wsHubPlugin',
      'WsHub',
      'closeCodes',
      'bridgeKafkaToHub',
      'HealthRegistry',
      'operationsPlugin',
      'RealtimeServer',
      'registerRealtimeSdk',
      'realtimeTokens',
      'RealtimeSdk',
      'sdkErrors',
    ];
    for (const name of names) expect(sdk).toHaveProperty(name);
    expect(_port).toHaveLength(6);
  });

  it('wsHubPlugin should be a fastify-plugin for fastify 5 with a name', () => {
    const meta = (sdk.wsHubPlugin as unknown as Record<symbol, { fastify: string; name: string }>)[
      Symbol.for('plugin-meta')
    ];
    expect(meta).toMatchObject({ fastify: '5.x', name: '@realtime-platform/ws-hub' });
  });

  it('tokens should be symbols', () => {
    for (const token of Object.values(sdk.realtimeTokens)) expect(typeof token).toBe('symbol');
  });
});
