import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { kafkaDistribution, toolchainManifest } from '@realtime-platform/toolchain';

/** What the figures were measured on: printed above the table and kept in the JSON. */
export interface MachineInfo {
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly java: string;
  readonly kafka: string;
}

/** The first line of `java -version` (which writes to stderr), of the Java that runs Kafka. */
function javaVersion(): string {
  const { javaBinary } = kafkaDistribution();
  const result = spawnSync(javaBinary, ['-version'], { encoding: 'utf8' });
  return (result.stderr || result.stdout || 'unknown').split('\n')[0] ?? 'unknown';
}

export function machineInfo(): MachineInfo {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    node: process.version,
    java: javaVersion(),
    kafka: toolchainManifest.kafka.version,
  };
}
