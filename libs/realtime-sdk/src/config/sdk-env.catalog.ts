import { runtimeEnvCatalog, type SdkRuntimeEnvName } from '@realtime-platform/platform-contract';

/**
 * The environment variables the SDK reads (the platform's are the five secrets' keys). Names,
 * meanings and defaults come from the platform contract's `runtimeEnvCatalog` (its `readBy: 'sdk'`
 * entries): the trait and the chart set the same names. All start with `RTP_`, a prefix no platform
 * secret uses, so `envFrom` can never overwrite them. The README table is checked against this list.
 */
export interface SdkEnvVariable {
  readonly variable: SdkEnvName;
  readonly description: string;
  /** The default as written in the env; absent when the variable is required or optional. */
  readonly default?: string;
  readonly required?: boolean;
}

export type SdkEnvName = SdkRuntimeEnvName;

export const sdkEnvCatalog: readonly SdkEnvVariable[] = runtimeEnvCatalog.flatMap((entry) =>
  entry.readBy === 'sdk'
    ? [
        {
          variable: entry.name,
          description: entry.description,
          ...('default' in entry ? { default: entry.default } : {}),
          ...('required' in entry ? { required: entry.required } : {}),
        },
      ]
    : [],
);
