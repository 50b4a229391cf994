import { UsageError } from './command.js';

export interface NumberRule {
  readonly allowZero?: boolean;
  readonly integer?: boolean;
}

/** A numeric option, or a usage error naming the option. */
export function positiveNumber(
  option: string,
  raw: string | boolean | undefined,
  rule: NumberRule = {},
): number {
  const value = Number(raw);
  const ok =
    typeof raw === 'string' &&
    raw.trim() !== '' &&
    Number.isFinite(value) &&
    (rule.allowZero ? value >= 0 : value > 0) &&
    (!rule.integer || Number.isInteger(value));
  if (!ok) {
    const kind = rule.integer ? 'an integer' : 'a number';
    throw new UsageError(
      `${option} must be ${kind} ${rule.allowZero ? '>= 0' : '> 0'}, got "${String(raw)}"`,
    );
  }
  return value;
}
