// `node dist/main.js`: starts the composition root; the SDK drains on SIGTERM.
import { isRealtimePlatformError } from '@realtime-platform/errors';
import { RealtimeService } from './composition-root.js';

async function main(): Promise<void> {
  await new RealtimeService().start();
}

main().catch((error: unknown) => {
  // The logger may not exist (invalid configuration): one JSON line on stderr, then exit 1.
  const coded = isRealtimePlatformError(error);
  process.stderr.write(
    `${JSON.stringify({
      level: 'fatal',
      msg: 'start failed',
      code: coded ? error.code : undefined,
      err: coded ? error.message : String((error as Error)?.stack ?? error),
    })}\n`,
  );
  process.exit(1);
});
