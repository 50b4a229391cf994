import { generatorErrors } from './generator.errors.js';

/** The name the template is written with; every spelling of it is replaced. */
export const templateName = 'realtime-service';

/** kebab-case: npm package `@realtime-platform/<name>`, nx project, `RTP_SERVICE_NAME`. */
export const serviceNamePattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Leaves room in Kubernetes (63) and PostgreSQL (63) names built from it. */
export const serviceNameMaxLength = 40;

/** Throws RTP_ERR_GENERATOR_NAME_INVALID unless `name` can name a service. */
export function checkServiceName(name: unknown): string {
  if (typeof name !== 'string')
    throw generatorErrors.NAME_INVALID({ name: String(name), reason: 'not a string' });
  if (!serviceNamePattern.test(name))
    throw generatorErrors.NAME_INVALID({
      name,
      reason: 'use lowercase letters, digits and single dashes, starting with a letter',
    });
  if (name.length > serviceNameMaxLength)
    throw generatorErrors.NAME_INVALID({
      name,
      reason: `longer than ${serviceNameMaxLength} characters`,
    });
  if (name === templateName)
    throw generatorErrors.NAME_INVALID({ name, reason: 'that is the template itself' });
  return name;
}

/** The spellings of a kebab-case name the template uses. */
export interface NameVariants {
  /** `ward-monitor`: package, nx project, service name, paths, Symbol keys. */
  readonly kebab: string;
  /** `ward_monitor`: the PostgreSQL schema. */
  readonly snake: string;
  /** `WARD_MONITOR`: error code prefix `RTP_ERR_WARD_MONITOR_*`. */
  readonly upperSnake: string;
  /** `WardMonitor`: type and function names. */
  readonly pascal: string;
  /** `wardMonitor`. */
  readonly camel: string;
}

export function nameVariants(kebab: string): NameVariants {
  const words = kebab.split('-');
  const pascal = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return {
    kebab,
    snake: words.join('_'),
    upperSnake: words.join('_').toUpperCase(),
    pascal,
    camel: pascal.charAt(0).toLowerCase() + pascal.slice(1),
  };
}
