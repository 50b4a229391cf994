import { createLogger } from '@realtime-platform/realtime-sdk';
import { DeviceSimulatorService } from './composition-root.js';
import { parseSimulatorArguments, simulatorUsage } from './interface/simulator.argv.js';

/**
 * `node dist/main.js --devices 10 --rate 50`: flags over RTP_SIM_* over the contract's defaults.
 * Runs until SIGTERM, or until `--count` / `--duration` is reached.
 */
async function main(): Promise<void> {
  let service: DeviceSimulatorService;
  try {
    const args = parseSimulatorArguments(process.argv.slice(2));
    if (args.help === true) {
      console.log(simulatorUsage);
      return;
    }
    service = new DeviceSimulatorService({ args });
  } catch (error) {
    createLogger({ name: 'device-simulator' }).fatal(
      { err: error },
      'device-simulator misconfigured',
    );
    process.exitCode = 1;
    return;
  }
  service.installSignalHandlers();
  try {
    await service.start();
  } catch (error) {
    service.logger.fatal({ err: error }, 'device-simulator failed to start');
    process.exitCode = 1;
    await service.stop().catch(() => undefined);
  }
}

await main();
