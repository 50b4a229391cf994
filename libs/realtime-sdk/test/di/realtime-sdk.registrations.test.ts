import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { container } from 'tsyringe';
import {
  KafkajsMessageBus,
  PlatformaticMessageBus,
  RealtimeSdk,
  realtimeTokens,
  registerRealtimeSdk,
  sdkErrors,
  silentLogger,
  type MessageBus,
  type RealtimeConfig,
} from '../../src/index.js';
import { platformEnv } from '../helpers/platform-env.js';

describe('registerRealtimeSdk', () => {
  it('should load the config at registration, failing fast on a missing secret key', () => {
    const env = platformEnv();
    delete env.KAFKA_BOOTSTRAP_SERVERS;
    expect(() => registerRealtimeSdk(container.createChildContainer(), { env })).toThrow(
      expect.objectContaining({
        code: sdkErrors.CONFIG_INVALID.code,
        message: expect.stringContaining('KAFKA_BOOTSTRAP_SERVERS'),
      }),
    );
  });

  it('should bind the MessageBus port to the default adapter (platformatic) and resolve singletons', () => {
    const child = registerRealtimeSdk(container.createChildContainer(), {
      env: platformEnv(),
      logger: silentLogger,
      signals: false,
    });
    expect(child.resolve<RealtimeConfig>(realtimeTokens.Config).serviceName).toBe('vitals-gateway');
    const bus = child.resolve<MessageBus>(realtimeTokens.MessageBus);
    expect(bus).toBeInstanceOf(PlatformaticMessageBus);
    expect(child.resolve(realtimeTokens.MessageBus)).toBe(bus);
    const sdk = child.resolve<RealtimeSdk>(realtimeTokens.RealtimeSdk);
    expect(sdk).toBeInstanceOf(RealtimeSdk);
    expect(sdk.bus).toBe(bus);
    expect(child.resolve(realtimeTokens.RealtimeSdk)).toBe(sdk);
  });

  it('should bind the MessageBus port to the adapter RTP_KAFKA_CLIENT names', () => {
    const adapters = { platformatic: PlatformaticMessageBus, kafkajs: KafkajsMessageBus };
    for (const [client, adapter] of Object.entries(adapters)) {
      const child = registerRealtimeSdk(container.createChildContainer(), {
        env: { ...platformEnv(), RTP_KAFKA_CLIENT: client },
        logger: silentLogger,
        signals: false,
      });
      expect(child.resolve<MessageBus>(realtimeTokens.MessageBus)).toBeInstanceOf(adapter);
    }
    expect(() =>
      registerRealtimeSdk(container.createChildContainer(), {
        env: { ...platformEnv(), RTP_KAFKA_CLIENT: 'librdkafka' },
        logger: silentLogger,
        signals: false,
      }),
    ).toThrow(/RTP_KAFKA_CLIENT/);
  });

  it('a service should swap the MessageBus port by registering the token again', async () => {
    const child = registerRealtimeSdk(container.createChildContainer(), {
      env: platformEnv(),
      logger: silentLogger,
      signals: false,
    });
    const replacement = { close: async () => undefined } as unknown as MessageBus;
    child.register(realtimeTokens.MessageBus, { useValue: replacement });
    const sdk = child.resolve<RealtimeSdk>(realtimeTokens.RealtimeSdk);
    expect(sdk.bus).toBe(replacement);
    // dispose() stops the SDK (never started: closing is a no-op that must not throw).
    await child.dispose();
  });
});
