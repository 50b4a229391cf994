import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformServiceName } from '@realtime-platform/local-platform';
import { MemoryCgroup } from '@realtime-platform/local-infra';
import { parse } from 'yaml';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

/** "512Mi" / "1Gi" → MiB. */
export function quantityMiB(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity.trim());
  if (match === null) throw new Error(`not a Mi/Gi memory quantity: ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

/**
 * The memory limits the services get when deployed with their defaults: the chart's
 * `builtin.<service>.resources.limits.memory` for the bridge and the processor, and the
 * `realtime-webservice` component's `memory` default for realtime-service (the addon's CUE).
 * Read from those files, so the bench runs each service in the box its pod has.
 */
export function deployedMemoryLimitsMiB(): Record<
  'mqtt-bridge' | 'stream-processor' | 'realtime-service',
  number
> {
  const values = parse(
    readFileSync(join(repoRoot, 'charts/realtime-platform/values.yaml'), 'utf8'),
  ) as { builtin: Record<string, { resources: { limits: { memory: string } } }> };
  const chartLimit = (key: string): number => {
    const memory = values.builtin[key]?.resources.limits.memory;
    if (memory === undefined) throw new Error(`no builtin.${key}.resources.limits.memory in values.yaml`);
    return quantityMiB(memory);
  };
  const cue = readFileSync(
    join(repoRoot, 'addons/realtime-platform/definitions/realtime-webservice.cue'),
    'utf8',
  );
  const cueDefault = /\n\s+memory:\s*\*"([^"]+)"\s*\|\s*string/.exec(cue);
  if (cueDefault === null) throw new Error('no memory default in realtime-webservice.cue');
  return {
    'mqtt-bridge': chartLimit('mqttBridge'),
    'stream-processor': chartLimit('streamProcessor'),
    'realtime-service': quantityMiB(cueDefault[1] as string),
  };
}

/**
 * The limits the bench runs the services under: the deployed ones (default), none
 * (`BENCH_MEMORY_LIMITS=off`, or a machine where no memory cgroup can be created: said in the log).
 */
export function benchMemoryLimitsMiB(
  log: (line: string) => void,
): Partial<Record<PlatformServiceName, number>> {
  if (process.env.BENCH_MEMORY_LIMITS === 'off') return {};
  if (!MemoryCgroup.available() || process.getuid?.() !== 0) {
    log('no memory cgroup can be created here (needs root): services run without a memory limit');
    return {};
  }
  return deployedMemoryLimitsMiB();
}
