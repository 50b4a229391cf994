import { addonParameterPaths, withAddonParameter } from '@realtime-platform/app-render';
import { parse } from 'yaml';
import { UsageError } from '../cli/command.js';

/** The `--set` values node:util parseArgs gives (one string, or a list with `multiple: true`). */
function setValues(raw: unknown): string[] {
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

/**
 * `--set key=value ...` as addon parameters, as `vela addon enable realtime-platform key=value`
 * takes them: dotted keys for nested parameters, values as YAML scalars (`true`, `3`, `15m`) or
 * flow lists/maps (`[apps, clinic]`). A key parameter.cue does not declare is a usage error (CUE
 * would accept and ignore it).
 */
export function addonParameters(raw: unknown): Record<string, unknown> {
  const known = addonParameterPaths();
  let parameters: Record<string, unknown> = {};
  for (const assignment of setValues(raw)) {
    const at = assignment.indexOf('=');
    const key = at > 0 ? assignment.slice(0, at) : '';
    if (!key) throw new UsageError(`--set expects key=value, got "${assignment}"`);
    if (!known.includes(key)) {
      throw new UsageError(
        `--set ${key}: the realtime-platform addon has no parameter "${key}" (it has: ${known.join(', ')})`,
      );
    }
    const text = assignment.slice(at + 1);
    let value: unknown;
    try {
      value = text === '' ? '' : (parse(text) as unknown);
    } catch (error) {
      throw new UsageError(
        `--set ${key}: "${text}" is not a YAML value (${(error as Error).message})`,
      );
    }
    parameters = withAddonParameter(parameters, key, value);
  }
  return parameters;
}
