import { connectAsync, type MqttClient } from 'mqtt';
import type { LocalPlatform } from '@realtime-platform/local-platform';

/**
 * A gateway's MQTT client: it may publish readings of any device on the requirements' topic (the
 * contract's ACL), as the simulator does.
 */
export function gatewayPublisher(platform: LocalPlatform, clientId: string): Promise<MqttClient> {
  return connectAsync(platform.mqtt.mqttUrl, { ...platform.mqtt.credentials.gateway, clientId });
}

/** Stops the platform (afterAll); when a test of the file failed, first prints where its logs are. */
export async function stopPlatform(
  platform: LocalPlatform | undefined,
  otherLogs: readonly (string | undefined)[] = [],
): Promise<void> {
  if (platform === undefined) return;
  const failed =
    ((globalThis as Record<string, unknown>).__rtpFailedTests as string[] | undefined) ?? [];
  if (failed.length > 0) console.error(`logs: ${[...platform.logFiles, ...otherLogs].join('\n')}`);
  await platform.stop();
}
