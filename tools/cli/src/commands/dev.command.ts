import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FerretDbServer, MariaDbServer } from '@realtime-platform/local-infra';
import { LocalPlatform, maxListedDashboardDevices } from '@realtime-platform/local-platform';
import { databases, deviceMqttTopic, type Database } from '@realtime-platform/platform-contract';
import { exitCodes, UsageError, type Command } from '../cli/command.js';
import { StepReporter } from '../terminal/step-reporter.js';
import { positiveNumber } from '../cli/option-parsers.js';

const help = `Usage: rtp dev [options]

Runs the whole platform on this machine: real Kafka 3.9 (KRaft, SASL and ACLs), Mosquitto, PostgreSQL and a
Schema Registry, the platform's topics, the MQTT bridge, the stream processor, the realtime
service with its dashboard, and simulated devices. Ctrl-C stops everything.

Options:
  --name <name>        platform name (default: health-data)
  --devices <n>        simulated devices (default: 10; 0 for none)
  --rate <r>           readings per second, all devices together (default: 10)
  --grant-devices <ids> devices the dashboard token grants besides the simulated ones
                       (comma-separated, for readings you publish yourself)
  --database <engine>  the application database (the claim's database): postgres (default),
                       mysql (MariaDB 10.11, Debian's stand-in for MySQL) or mongodb (FerretDB
                       1.24, MongoDB's wire protocol; npm run setup -- --with-go-tools builds it);
                       the db secret points at it, PostgreSQL runs in every case
  --embedded-mqtt      use the in-process aedes broker even when Mosquitto is installed
  --no-services        only the servers and topics (no bridge, processor, service, simulator)
  -h, --help           show this help

Logs go to one run directory (printed). Exit codes: 0 stopped cleanly, 1 failed to start, 2 usage.`;

export const devCommand: Command = {
  name: 'dev',
  summary: 'run the platform locally on real servers, with a live dashboard',
  help,
  options: {
    name: { type: 'string', default: 'health-data' },
    devices: { type: 'string', default: '10' },
    rate: { type: 'string', default: '10' },
    'grant-devices': { type: 'string', default: '' },
    database: { type: 'string', default: 'postgres' },
    'no-services': { type: 'boolean', default: false },
    'embedded-mqtt': { type: 'boolean', default: false },
  },
  async run({ values, positionals }) {
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const devices = positiveNumber('--devices', values.devices, { allowZero: true, integer: true });
    const rate = positiveNumber('--rate', values.rate);
    const name = String(values.name);
    const database = String(values.database);
    if (!(databases as readonly string[]).includes(database)) {
      throw new UsageError(`--database must be one of ${databases.join(', ')}, got "${database}"`);
    }
    const services = values['no-services'] !== true;
    const dashboardDevices = String(values['grant-devices'])
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');

    // Every server and service writes its directory under this one, so one path holds all logs.
    const runDir = mkdtempSync(join(process.env.RTP_RUN_DIR ?? tmpdir(), 'rtp-dev-'));
    // mkdtemp makes it 0700; as root, Mosquitto and PostgreSQL run as their own users and must
    // be able to reach their directories inside it.
    chmodSync(runDir, 0o755);
    process.env.RTP_RUN_DIR = runDir;
    const progress = new StepReporter();
    const platform = await LocalPlatform.start(
      {
        name,
        services,
        simulator: devices > 0 ? { devices, rate } : false,
        mqttBroker: values['embedded-mqtt'] === true ? 'embedded' : 'auto',
        dashboardDevices,
        database: database as Database,
      },
      (label, work) => progress.step(label, work),
    );
    try {
      // The secrets as env lines (0600): what applications get, and what a gateway gets (the mqtt
      // secret with the gateway's user: `rtp simulate --env-file` publishes readings with it).
      const writeEnv = (file: string, env: Readonly<Record<string, string>>): string => {
        const path = join(runDir, file);
        writeFileSync(
          path,
          Object.entries(env)
            .map(([key, value]) => `${key}=${value}`)
            .join('\n') + '\n',
          { mode: 0o600 },
        );
        return path;
      };
      const envFile = writeEnv('platform.env', platform.platformEnv);
      const gatewayEnvFile = writeEnv('gateway.env', platform.envFor({ mqttRole: 'gateway' }));
      const { kafka, mqtt, postgres, schemaRegistry } = platform;
      const lines = [
        `realtime platform "${name}" is running (${progress.elapsedSeconds}s). Ctrl-C stops it.`,
        '',
        ...(services
          ? [
              `  Dashboard           ${await platform.dashboardUrl()}`,
              `  Dashboard grants    ${describeGrant(platform.dashboardGrant.devices)}, 5 topics; the token expires in 12 h`,
              `  WebSocket           ${platform.service('realtime-service').url.replace('http', 'ws')}/ws   (JWT: the token in the dashboard URL)`,
              `  REST                ${platform.service('realtime-service').url}/api/alerts`,
            ]
          : []),
        `  Kafka bootstrap     ${kafka.bootstrapServers}   (SASL_PLAINTEXT, SCRAM-SHA-512, ACLs on)`,
        `  Kafka app user      ${kafka.credentials('app').username} / ${kafka.credentials('app').password}   (generated; each service has its own)`,
        `  Kafka admin user    ${kafka.credentials('admin').username} / ${kafka.credentials('admin').password}   (the provisioning super user, for inspecting)`,
        `  Schema Registry     ${schemaRegistry.url}`,
        `  MQTT                ${mqtt.mqttUrl}   (devices publish to ${deviceMqttTopic})`,
        `  MQTT WebSockets     ${mqtt.wsUrl}`,
        `  MQTT users          generated for this run; each reaches only its topics (ACL):`,
        `    applications      ${mqtt.credentials.app.username} / ${mqtt.credentials.app.password}   (app/#)`,
        `    gateway           ${mqtt.credentials.gateway.username} / ${mqtt.credentials.gateway.password}   (publishes ${deviceMqttTopic} for any device)`,
        `    bridge            ${mqtt.credentials.bridge.username} / ${mqtt.credentials.bridge.password}   (reads the readings)`,
        `  PostgreSQL          ${postgres.connectionString().replace(encodeURIComponent(postgres.password), '****')}`,
        `  PostgreSQL password ${postgres.password}   (generated for this run; the superuser, for inspecting)`,
        `  PostgreSQL apps     ${postgres.application.user} / ${postgres.application.password}   (${platform.database === 'postgres' ? "the applications' role in the env file: its own schemas, nothing more" : 'not the application database of this run'})`,
        ...applicationDatabaseLines(platform.applicationDatabase),
        `  Topics              ${platform.topics
          .filter((topic) => topic.role !== 'dlq')
          .map((topic) => topic.name)
          .join(', ')} (+ .dlq each)`,
        `  Secrets (env file)  ${envFile}   (applications)`,
        `                      ${gatewayEnvFile}   (rtp simulate --env-file ${gatewayEnvFile})`,
        `  Logs                ${runDir}`,
        '',
      ];
      console.log(lines.join('\n'));
      await waitForStopSignal();
      console.log('stopping…');
    } finally {
      await platform.stop();
    }
    return exitCodes.ok;
  },
};

/** With --database mysql or mongodb: where the application database is, for the printout. */
function applicationDatabaseLines(server: MariaDbServer | FerretDbServer | undefined): string[] {
  if (server instanceof MariaDbServer) {
    return [
      `  MySQL (MariaDB)     ${server.connectionUrl().replace(encodeURIComponent(server.application.password), '****')}   (the db secret: DB_TYPE mysql)`,
      `  MySQL apps          ${server.application.user} / ${server.application.password}   (every privilege on ${server.database}, nothing more)`,
      `  MySQL admin         ${server.admin.user} / ${server.admin.password}   (generated for this run, for inspecting)`,
    ];
  }
  if (server instanceof FerretDbServer) {
    return [
      `  MongoDB (FerretDB)  ${server.connectionUrl().replace(encodeURIComponent(server.application.password), '****')}   (the db secret: DB_TYPE mongodb)`,
      `  MongoDB apps        ${server.application.user} / ${server.application.password}   (authenticates against ${server.database})`,
      `  MongoDB admin       ${server.admin.user} / ${server.admin.password}   (in admin; generated for this run)`,
    ];
  }
  return [];
}

/** The devices of the dashboard token, for the printout. */
function describeGrant(devices: readonly string[] | '*'): string {
  if (devices === '*')
    return `every device (more than ${maxListedDashboardDevices} to list: "devices": "*")`;
  if (devices.length === 0) return 'no device';
  const shown = devices.slice(0, 3).join(', ');
  return `${devices.length} device(s): ${shown}${devices.length > 3 ? ', …' : ''}`;
}

function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
