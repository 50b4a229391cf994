import { readFileSync } from 'node:fs';
import { startSimulation, type SimulationReport } from '@realtime-platform/device-simulator';
import { exitCodes, UsageError, type Command } from '../cli/command.js';
import { positiveNumber } from '../cli/option-parsers.js';

const help = `Usage: rtp simulate --devices <n> --rate <r> [options]

Simulated health devices publishing realistic, slowly varying vitals (HealthData JSON, QoS 1) to
the platform's MQTT topic. The broker and credentials come from the platform's mqtt secret keys:
--env-file (the gateway.env \`rtp dev\` prints: a gateway's user may publish readings of any
device), or MQTT_URL, MQTT_USERNAME and MQTT_PASSWORD in the environment. Passwords are never
taken from the command line (it is visible to every user).

Options:
  --devices <n>        simulated devices (required)
  --rate <r>           readings per second, all devices together (required)
  --duration <s>       stop after this many seconds (default: until Ctrl-C)
  --count <n>          stop after this many readings
  --malformed <ratio>  share of malformed readings, 0 to 1 (exercises the dead-letter topic)
  --seed <n>           seed of the value model (same seed, same readings; default 1)
  --env-file <path>    KEY=VALUE lines with MQTT_URL, MQTT_USERNAME, MQTT_PASSWORD
  -h, --help           show this help

Prints the acknowledged rate every second and a summary at the end.
Exit codes: 0 done, 1 failed (broker unreachable, readings refused), 2 usage.`;

/** MQTT_* keys from an env file (the format `rtp dev` writes) or the environment. */
function mqttConnection(envFile: string | undefined): {
  url: string;
  username: string;
  password: string;
} {
  const source: Record<string, string | undefined> = envFile === undefined ? process.env : {};
  if (envFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(envFile, 'utf8');
    } catch {
      throw new UsageError(`cannot read --env-file ${envFile}`);
    }
    for (const line of text.split('\n')) {
      const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (match?.[1] !== undefined) source[match[1]] = match[2];
    }
  }
  const { MQTT_URL: url, MQTT_USERNAME: username, MQTT_PASSWORD: password } = source;
  const missing = Object.entries({
    MQTT_URL: url,
    MQTT_USERNAME: username,
    MQTT_PASSWORD: password,
  })
    .filter(([, value]) => value === undefined || value === '')
    .map(([key]) => key);
  if (missing.length > 0) {
    throw new UsageError(
      `${missing.join(', ')} not set (pass --env-file, or set them in the environment)`,
    );
  }
  return { url: url!, username: username!, password: password! };
}

const summary = (report: SimulationReport): string =>
  `${report.acknowledged} readings acknowledged in ${(report.elapsedMs / 1000).toFixed(1)} s ` +
  `(${report.achievedRate.toFixed(0)}/s of ${report.targetRate}/s target), ${report.failed} failed, ` +
  `${Object.values(report.malformed).reduce((sum, count) => sum + count, 0)} malformed`;

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'simulated devices publishing vitals over MQTT',
  help,
  options: {
    devices: { type: 'string' },
    rate: { type: 'string' },
    duration: { type: 'string' },
    count: { type: 'string' },
    malformed: { type: 'string' },
    seed: { type: 'string' },
    'env-file': { type: 'string' },
  },
  async run({ values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (values.devices === undefined) throw new UsageError('--devices is required');
    if (values.rate === undefined) throw new UsageError('--rate is required');
    const devices = positiveNumber('--devices', values.devices, { integer: true });
    const rate = positiveNumber('--rate', values.rate);
    const optional = (name: string, rule = {}): number | undefined =>
      values[name] === undefined ? undefined : positiveNumber(`--${name}`, values[name], rule);
    const durationS = optional('duration');
    const limit = optional('count', { integer: true });
    const malformedRatio = optional('malformed', { allowZero: true });
    if (malformedRatio !== undefined && malformedRatio > 1)
      throw new UsageError('--malformed must be at most 1');
    const seed = optional('seed', { allowZero: true, integer: true });
    const connection = mqttConnection(
      typeof values['env-file'] === 'string' ? values['env-file'] : undefined,
    );

    const simulation = await startSimulation({
      devices,
      rate,
      connection,
      ...(durationS !== undefined ? { durationMs: durationS * 1000 } : {}),
      ...(limit !== undefined ? { limit } : {}),
      ...(malformedRatio !== undefined ? { malformedRatio } : {}),
      ...(seed !== undefined ? { seed } : {}),
    });
    console.log(
      `simulating ${devices} devices at ${rate} readings/s → ${connection.url} (Ctrl-C stops)`,
    );
    const ticker = setInterval(() => {
      const counts = simulation.counts();
      console.log(
        `  ${counts.acknowledged} acknowledged, ${simulation.achievedRate().toFixed(0)}/s, ${counts.inFlight} in flight, ${counts.failed} failed`,
      );
    }, 1000);
    const interrupted = new Promise<'interrupted'>((resolve) => {
      process.once('SIGINT', () => resolve('interrupted'));
      process.once('SIGTERM', () => resolve('interrupted'));
    });
    try {
      const outcome = await Promise.race([simulation.done, interrupted]);
      const report = outcome === 'interrupted' ? await simulation.stop() : outcome;
      console.log(summary(report));
      return report.failed > 0 ? exitCodes.failure : exitCodes.ok;
    } finally {
      clearInterval(ticker);
    }
  },
};
