import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MqttClient } from 'mqtt';
import { LocalPlatform } from '@realtime-platform/local-platform';
import { ContainerService } from '@realtime-platform/local-infra';
import { deviceMqttTopic } from '@realtime-platform/platform-contract';
import { gatewayPublisher, stopPlatform } from './support/platform-lifecycle.js';
import { reading } from './support/readings.js';
import { HubClient } from './support/ws-client.js';

/**
 * Issue 15: the pipeline once more, with the bridge, the stream processor and the realtime service
 * as containers of their images (services/Dockerfile, built by the services' nx `image` targets)
 * instead of processes: read-only root, non-root, configured only by the platform's secrets and
 * their RTP_* variables. MQTT in, WebSocket frame out.
 */
describe('health-data pipeline with the services as containers of their images', () => {
  let platform: LocalPlatform;
  let publisher: MqttClient;
  let watcher: HubClient | undefined;

  beforeAll(async () => {
    platform = await LocalPlatform.start({
      name: 'e2e-containers',
      services: ['mqtt-bridge', 'stream-processor', 'realtime-service'],
      simulator: false,
      runtime: 'container',
    });
    publisher = await gatewayPublisher(platform, 'e2e-containers');
  }, 300_000);

  afterAll(async () => {
    watcher?.close();
    await publisher?.endAsync();
    await stopPlatform(platform);
  }, 60_000);

  it('runs every service from its image', () => {
    for (const name of ['mqtt-bridge', 'stream-processor', 'realtime-service'] as const) {
      const service = platform.service(name);
      expect(service).toBeInstanceOf(ContainerService);
      expect((service as ContainerService).image).toMatch(
        new RegExp(`/realtime-platform/${name}:\\d+\\.\\d+\\.\\d+$`),
      );
    }
  });

  it('streams the heart rate of a reading published over MQTT to a WebSocket subscriber of that device', async () => {
    const wsUrl = `${platform.service('realtime-service').url.replace('http', 'ws')}/ws`;
    // Exactly what the test reads: one bed's heart rate.
    const token = await platform.token(
      { devices: ['bed-containers'], topics: ['heart_rate_device_topic'] },
      'e2e-containers',
    );
    watcher = await HubClient.connect(wsUrl, token);
    await watcher.subscribe('heart_rate_device_topic', 'bed-containers');
    await publisher.publishAsync(
      deviceMqttTopic,
      JSON.stringify(reading('bed-containers', 1, { heartRate: 77 })),
      { qos: 1 },
    );

    const frame = await watcher.waitFor(
      (candidate) => candidate.type === 'data' && candidate.topic === 'heart_rate_device_topic',
      'heart-rate frame',
    );
    expect(frame.data).toMatchObject({ deviceId: 'bed-containers', values: { heartRate: 77 } });
  });

  it('keeps streaming after the bridge container is killed -9 and started again from its image', async () => {
    const bridge = platform.service('mqtt-bridge');
    await bridge.kill('SIGKILL');
    expect((await bridge.exited).signal).toBe('SIGKILL');
    await bridge.restart();
    await publisher.publishAsync(
      deviceMqttTopic,
      JSON.stringify(reading('bed-containers', 2, { heartRate: 81 })),
      { qos: 1 },
    );
    const frame = await watcher!.waitFor(
      (candidate) =>
        candidate.type === 'data' &&
        candidate.topic === 'heart_rate_device_topic' &&
        (candidate.data as { values?: { heartRate?: number } } | undefined)?.values?.heartRate ===
          81,
      'heart-rate frame after the restart',
    );
    expect(frame.data).toMatchObject({ deviceId: 'bed-containers' });
  });
});
