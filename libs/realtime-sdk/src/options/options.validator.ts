import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { sdkErrors } from '../sdk.errors.js';

/** A JSON Schema object; `isFunction: true` accepts a function (handlers, codecs, callbacks). */
export type OptionsSchema = Record<string, unknown>;

const ajv = new Ajv({
  allErrors: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
});
ajv.addKeyword({
  keyword: 'isFunction',
  schemaType: 'boolean',
  errors: false,
  validate: (expected: boolean, data: unknown) => !expected || typeof data === 'function',
});

function describe(error: ErrorObject): string {
  const path = `/options${error.instancePath}`;
  switch (error.keyword) {
    case 'required':
      return `${path}/${String(error.params.missingProperty)} is required`;
    case 'additionalProperties':
      return `${path}/${String(error.params.additionalProperty)} is not a known option`;
    case 'isFunction':
      return `${path} must be a function`;
    default:
      return `${path} ${error.message ?? 'is invalid'}`;
  }
}

/**
 * The one validation point of every options object (platformatic's `options.ts` + a compiled
 * validator, but always strict): defaults are merged first, then the merged object is validated,
 * and any problem throws RTP_ERR_SDK_OPTIONS_INVALID naming each `/options/...` path.
 */
export function optionsValidator<T extends object>(
  component: string,
  schema: OptionsSchema,
  defaults: Partial<T>,
): (input: unknown) => T {
  const validate: ValidateFunction = ajv.compile(schema);
  return (input: unknown): T => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw sdkErrors.OPTIONS_INVALID({ component, problems: ['/options must be an object'] });
    }
    const merged = mergeDefaults(defaults, input as Partial<T>);
    if (!validate(merged)) {
      throw sdkErrors.OPTIONS_INVALID({
        component,
        problems: (validate.errors ?? []).map(describe),
      });
    }
    return merged as T;
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
  );
}

/** Defaults under the input, one level of nested plain objects deep (`retry`, `queue`...). */
export function mergeDefaults<T extends object>(defaults: Partial<T>, input: Partial<T>): T {
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const base = out[key];
    out[key] = isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : value;
  }
  return out as T;
}
