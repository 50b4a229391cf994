import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly level?: string;
  readonly name?: string;
  /** Defaults to stdout; tests pass a stream to read the JSON lines. */
  readonly destination?: DestinationStream;
}

/**
 * JSON logs with pino (one object a line, `level` as a label, ISO time), secrets redacted by
 * path. Every SDK component takes a `logger` and logs through a child with its `component`.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      ...(options.name === undefined ? {} : { name: options.name }),
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'headers.authorization',
          'req.headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}

/**
 * A logger that writes nothing: the default of components created without one. It owns no stream:
 * pino's default destination opens stdout and registers a process exit handler to flush it, which
 * would make importing the SDK change the host process.
 */
export const silentLogger: Logger = pino({ level: 'silent' }, { write: () => undefined });
