// What LocalPlatform starts, without starting it: the services' built entry points in this
// repository (the path is computed from this package's dist/, so a move of the package shows up
// here), their contract env names, and the image names tools/images builds.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { runtimeEnv } from '@realtime-platform/platform-contract';
import { platformServices, serviceEntry, serviceImage, serviceNodeOptions } from '../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const services = platformServices({
  platformName: 'health-data',
  wsJwtSecret: 'a-secret-of-this-test',
  wsJwtIssuer: 'urn:test',
  wsJwtAudience: 'realtime-service',
  wsMaxSubscriptions: 10,
  simulator: { devices: 3, rate: 2 },
});

describe('platformServices', () => {
  it("runs each service's built dist/main.js of this repository, in start order", () => {
    expect(services.map((service) => [service.name, service.entry])).toEqual(
      ['mqtt-bridge', 'stream-processor', 'realtime-service', 'device-simulator'].map((name) => [
        name,
        `${repoRoot}services/${name}/dist/main.js`,
      ]),
    );
  });

  it('names every service and its platform with the contract runtime variables', () => {
    for (const service of services) {
      expect(service.env[runtimeEnv.serviceName]).toBe(service.name);
      expect(service.env[runtimeEnv.platformName]).toBe('health-data');
    }
    const simulator = services.find((service) => service.name === 'device-simulator');
    expect(simulator?.env[runtimeEnv.simDevices]).toBe('3');
    expect(simulator?.env[runtimeEnv.simRate]).toBe('2');
  });
});

describe('serviceImage', () => {
  it('is the image tools/images builds: <registry>/<namespace>/<service>:<package version>', () => {
    const images = JSON.parse(readFileSync(`${repoRoot}tools/images/images.json`, 'utf8')) as {
      registry: string;
      namespace: string;
    };
    const { version } = JSON.parse(
      readFileSync(`${repoRoot}services/stream-processor/package.json`, 'utf8'),
    ) as { version: string };
    expect(serviceImage('stream-processor')).toBe(
      `${images.registry}/${images.namespace}/stream-processor:${version}`,
    );
    expect(serviceEntry('mqtt-bridge')).toBe(`${repoRoot}services/mqtt-bridge/dist/main.js`);
  });
});

describe('serviceNodeOptions', () => {
  it("is the service image's NODE_OPTIONS: the heap cap every image gets, then the service's own flags", () => {
    const images = JSON.parse(readFileSync(`${repoRoot}tools/images/images.json`, 'utf8')) as {
      nodeOptions: string;
      services: Record<string, { nodeOptions: string }>;
    };
    expect(images.nodeOptions).toContain('--max-old-space-size-percentage=');
    for (const service of services) {
      expect(serviceNodeOptions(service.name)).toBe(
        `${images.nodeOptions} ${images.services[service.name]?.nodeOptions}`,
      );
    }
  });
});
