import { createLogger } from '@realtime-platform/realtime-sdk';
import { MqttBridge } from './composition-root.js';

/** `node dist/main.js`: starts the composition root (configuration from env); SIGTERM drains. */
async function main(): Promise<void> {
  let bridge: MqttBridge;
  try {
    bridge = new MqttBridge();
  } catch (error) {
    // Configuration failed (a secret key or an RTP_* variable): say which, and exit.
    createLogger({ name: 'mqtt-bridge' }).fatal({ err: error }, 'mqtt-bridge misconfigured');
    process.exitCode = 1;
    return;
  }
  bridge.server.installSignalHandlers();
  try {
    await bridge.start();
  } catch (error) {
    bridge.logger.fatal({ err: error }, 'mqtt-bridge failed to start');
    process.exitCode = 1;
    await bridge.stop().catch(() => undefined);
  }
}

await main();
