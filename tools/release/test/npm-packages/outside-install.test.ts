import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useKafkaBroker } from '@realtime-platform/local-infra/jest';
import { createTopics } from '@realtime-platform/testkit';
import {
  alertsTopic,
  credentialKeys,
  describePlatform,
  renderSecretData,
} from '@realtime-platform/platform-contract';
import { workspaceRoot } from '../../src/index.js';
import { usePackedPackages } from '../helpers/packed-packages.js';

const kafka = useKafkaBroker();
const packed = usePackedPackages();
const fixture = fileURLToPath(new URL('./fixtures/sdk-consumer/', import.meta.url));
const rootManifest = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};
const sdkManifest = JSON.parse(
  readFileSync(join(workspaceRoot, 'libs/realtime-sdk/package.json'), 'utf8'),
) as { dependencies: Record<string, string> };

/**
 * npm as a user runs it, but from the machine's npm cache where it can (`--prefer-offline`): the
 * third-party packages come from the npm registry the first time only.
 */
const npm = (args: string[], cwd: string) =>
  execa('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd,
    env: { npm_config_update_notifier: 'false' },
  });

/** The five platform secrets as Kubernetes mounts them: `<dir>/<secret-name>/<KEY>`. */
function mountPlatformSecrets(dir: string, platformName: string): void {
  const platform = describePlatform({ namespace: 'apps', claim: { name: platformName } });
  const credentials = Object.fromEntries(
    credentialKeys.map((key) => [key, randomBytes(18).toString('base64url')]),
  );
  for (const secret of renderSecretData(platform, credentials)) {
    const data = { ...secret.stringData };
    // What a cluster would differ in: the broker is this test's, on loopback, and the
    // applications' login is the one it created (SASL/SCRAM with the contract's ACLs).
    if ('KAFKA_BOOTSTRAP_SERVERS' in data) Object.assign(data, kafka().kafkaSecret('app'));
    mkdirSync(join(dir, secret.name), { recursive: true });
    for (const [key, value] of Object.entries(data))
      writeFileSync(join(dir, secret.name, key), value);
  }
}

describe('the SDK installed from its packed tarballs outside the repository', () => {
  it('compiles a consumer with tsc and round-trips a record through Kafka with config from the five secrets', async () => {
    const project = mkdtempSync(join(tmpdir(), 'rtp-sdk-consumer-'));
    try {
      expect(relative(workspaceRoot, project).startsWith('..')).toBe(true);
      const tarballs = packed();
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify(
          {
            name: 'sdk-consumer',
            private: true,
            type: 'module',
            dependencies: {
              // Before the first publish the four tarballs are installed together, so the SDK's
              // own dependencies on errors and platform-contract resolve to them.
              ...Object.fromEntries(tarballs.map((pkg) => [pkg.name, `file:${pkg.tarball}`])),
              'reflect-metadata': sdkManifest.dependencies['reflect-metadata'],
              tsyringe: sdkManifest.dependencies.tsyringe,
            },
            devDependencies: {
              typescript: rootManifest.devDependencies.typescript,
              '@types/node': rootManifest.devDependencies['@types/node'],
            },
          },
          null,
          2,
        ),
      );
      copyFileSync(join(fixture, 'consumer.ts'), join(project, 'consumer.ts'));
      copyFileSync(join(fixture, 'tsconfig.json'), join(project, 'tsconfig.json'));

      const t0 = performance.now();
      await npm(['install'], project);
      const installed = performance.now();
      await execa('npx', ['--no-install', 'tsc', '-p', 'tsconfig.json'], { cwd: project });
      const compiled = performance.now();

      const secretsDir = join(project, 'secrets');
      mountPlatformSecrets(secretsDir, 'health-data');
      // A topic the applications' principal may both write and read (the contract's ACLs).
      const topic = alertsTopic;
      // Created by the provisioning principal, as the platform's set-up Job does.
      await createTopics(kafka(), [{ topic, numPartitions: 1 }]);
      const run = await execa('node', ['dist/consumer.js', topic], {
        cwd: project,
        extendEnv: false,
        env: {
          PATH: process.env.PATH ?? '',
          RTP_SERVICE_NAME: 'sdk-consumer',
          RTP_PLATFORM_NAME: 'health-data',
          RTP_SECRETS_DIR: secretsDir,
          RTP_LOG_LEVEL: 'silent',
          // A consumer without WebSocket clients: auth may be off only on a loopback listener.
          RTP_WS_AUTH: 'disabled',
          RTP_HTTP_HOST: '127.0.0.1',
        },
        reject: false,
      });
      const ran = performance.now();
      console.log(
        `outside install: npm install ${((installed - t0) / 1000).toFixed(1)} s, ` +
          `tsc ${((compiled - installed) / 1000).toFixed(1)} s, ` +
          `round trip ${((ran - compiled) / 1000).toFixed(1)} s`,
      );

      expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' });
      const report = JSON.parse(String(run.stdout)) as Record<string, unknown> & {
        sent: unknown;
        got: unknown;
        sdk: string;
      };
      expect(report.got).toEqual(report.sent);
      expect(report).toMatchObject({
        serviceName: 'sdk-consumer',
        bootstrapServers: [kafka().bootstrapServers],
        kafkaSource: 'secrets-dir',
        secrets: 5,
      });
      expect(fileURLToPath(report.sdk)).toContain(
        join(project, 'node_modules', '@realtime-platform', 'realtime-sdk'),
      );
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  }, 300_000);
});
