/**
 * Brand recognised across package copies and realms, where `instanceof` fails
 * (two versions of this lib in one tree, errors crossing worker boundaries).
 */
export const kRealtimePlatformError = Symbol.for('realtime-platform.error');

export interface RealtimePlatformErrorOptions {
  /** The error that caused this one; loggers walk the chain. */
  cause?: unknown;
  /** Whether retrying the same operation may succeed. Defaults to false: retry is opt-in. */
  retriable?: boolean;
  /** Structured context (topic, secret key, port, …) for logs and API responses. */
  details?: Record<string, unknown>;
}

/** Base of every error this project throws on purpose: a stable `code` and a retry verdict. */
export class RealtimePlatformError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly details: Readonly<Record<string, unknown>>;
  readonly [kRealtimePlatformError] = true;

  constructor(code: string, message: string, options: RealtimePlatformErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RealtimePlatformError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = Object.freeze({ ...options.details });
  }

  /** Codes survive serialisation; class identity does not. */
  toJSON(): {
    name: string;
    code: string;
    message: string;
    retriable: boolean;
    details: Record<string, unknown>;
  } {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retriable: this.retriable,
      details: { ...this.details },
    };
  }
}

export function isRealtimePlatformError(value: unknown): value is RealtimePlatformError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[kRealtimePlatformError] === true
  );
}
