import {
  RealtimePlatformError,
  isRealtimePlatformError,
  type RealtimePlatformErrorOptions,
} from './realtime-platform-error.js';

export interface ErrorSpec<P> {
  /** Builds the human message from the parameters; parameters also land in `details`. */
  message: (params: P) => string;
  retriable?: boolean;
}

export type CallOptions = Omit<RealtimePlatformErrorOptions, 'details'>;

export interface ErrorFactory<P> {
  (params: P, options?: CallOptions): RealtimePlatformError;
  readonly code: string;
  /** True when `value` is an error of exactly this code. */
  is(value: unknown): value is RealtimePlatformError;
}

type Factories<T> = { [K in keyof T]: T[K] extends ErrorSpec<infer P> ? ErrorFactory<P> : never };

/**
 * One coded table per package, in the manner of fastify's `FST_ERR_*`: every key becomes a
 * factory whose code is `<prefix>_<KEY>`, so codes are greppable and cannot drift from names.
 *
 * @example
 * const errors = defineErrors('RTP_ERR_TOOLCHAIN', {
 *   MISSING: { message: (p: { tool: string }) => `${p.tool} is not installed` },
 * });
 * throw errors.MISSING({ tool: 'helm' });
 */
export function defineErrors<const T extends Record<string, ErrorSpec<never>>>(
  prefix: string,
  table: T,
): Factories<T> {
  const factories: Record<string, ErrorFactory<unknown>> = {};
  for (const [key, spec] of Object.entries(table) as [string, ErrorSpec<unknown>][]) {
    const code = `${prefix}_${key}`;
    const factory = (params: unknown, options: CallOptions = {}): RealtimePlatformError =>
      new RealtimePlatformError(code, spec.message(params), {
        retriable: spec.retriable ?? false,
        ...options,
        details: typeof params === 'object' && params !== null ? { ...params } : { value: params },
      });
    factories[key] = Object.assign(factory, {
      code,
      is: (value: unknown): value is RealtimePlatformError =>
        isRealtimePlatformError(value) && value.code === code,
    });
  }
  return factories as Factories<T>;
}
