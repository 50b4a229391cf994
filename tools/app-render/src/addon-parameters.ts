import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addonDir } from '@realtime-platform/addons';

/**
 * The addon's parameters as dotted paths (`chartRepository`, `lenses.acceptEULA`, ...), read from
 * parameter.cue (one field per line, nested by tab indentation, as the catalog format writes it).
 * CUE structs are open, so a misspelt key would be accepted and ignored by template.cue: callers
 * check keys against this list instead.
 */
export function addonParameterPaths(): string[] {
  const lines = readFileSync(join(addonDir, 'parameter.cue'), 'utf8').split('\n');
  const stack: string[] = [];
  const paths: string[] = [];
  for (const line of lines) {
    const field = /^(\t+)([A-Za-z_]\w*)\??:\s*(.*)$/.exec(line);
    if (!field) continue;
    const depth = (field[1] as string).length;
    stack.length = depth - 1;
    stack.push(field[2] as string);
    paths.push(stack.join('.'));
  }
  return paths;
}

/** `parameters` with the dotted `key` set to `value` (intermediate objects created). */
export function withAddonParameter(
  parameters: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  const [head, ...rest] = key.split('.');
  if (head === undefined) return parameters;
  if (rest.length === 0) return { ...parameters, [head]: value };
  const inner = parameters[head];
  const child =
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? (inner as Record<string, unknown>)
      : {};
  return { ...parameters, [head]: withAddonParameter(child, rest.join('.'), value) };
}
