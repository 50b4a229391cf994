// `node dist/main.js`: starts the composition root; SIGTERM drains.
import { StreamProcessor } from './composition-root.js';

async function main(): Promise<void> {
  const processor = new StreamProcessor();
  processor.installSignalHandlers();
  await processor.start();
}

main().catch((error: unknown) => {
  // Before the logger exists (configuration) or after start failed: one JSON line, exit 1.
  console.error(
    JSON.stringify({
      level: 'fatal',
      msg: 'stream-processor failed to start',
      err: String((error as Error)?.stack ?? error),
    }),
  );
  process.exit(1);
});
