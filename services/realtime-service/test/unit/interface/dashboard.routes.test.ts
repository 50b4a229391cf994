import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { createAlertRules, defaultAlertRules } from '../../../src/domain/index.js';
import {
  contentSecurityPolicy,
  dashboardRoutes,
} from '../../../src/interface/dashboard/dashboard.routes.js';

const publicDir = new URL('../../../public/', import.meta.url);
let app: FastifyInstance;
let baseUrl: string;

beforeAll(async () => {
  app = Fastify();
  await app.register(dashboardRoutes, {
    publicDir,
    config: {
      wsPath: '/ws',
      auth: 'jwt',
      accessClaim: 'https://realtime-platform/access',
      vitalTopics: { heart_rate: 'heart_rate_device_topic' },
      alertsTopic: 'health_alerts',
      alertRules: createAlertRules(defaultAlertRules),
    },
  });
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(() => app.close());

describe('dashboard routes', () => {
  it('serves the page at / with a same-origin content security policy', async () => {
    const response = await fetch(`${baseUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(contentSecurityPolicy).not.toMatch(/https?:|unsafe-inline|unsafe-eval/);
  });

  it('serves every module the page imports, and nothing it does not', async () => {
    const html = readFileSync(new URL('index.html', publicDir), 'utf8');
    const entry = readFileSync(new URL('dashboard.js', publicDir), 'utf8');
    const referenced = [
      ...html.matchAll(/(?:src|href)="(\/dashboard\/[^"]+)"/g),
      ...entry.matchAll(/from '\.\/([^']+)'/g),
    ].map((match) => (match[1]?.startsWith('/') ? match[1] : `/dashboard/${match[1]}`));
    expect(referenced.length).toBeGreaterThan(3);
    for (const path of referenced) expect((await fetch(`${baseUrl}${path}`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/dashboard/../package.json`)).status).toBe(404);
  });

  it('loads nothing from another origin (no CDN)', () => {
    for (const file of ['index.html', 'dashboard.js', 'dashboard.css']) {
      expect(readFileSync(new URL(file, publicDir), 'utf8')).not.toMatch(/https?:\/\//);
    }
  });

  it('gives every element a later browser test looks for a stable data-testid', () => {
    const html = readFileSync(new URL('index.html', publicDir), 'utf8');
    for (const id of [
      'connection-status',
      'device-count',
      'frames-received',
      'device-grid',
      'device-card',
      'vital-value',
      'vital-chart',
      'alerts-list',
      'token-form',
    ])
      expect(html).toContain(`data-testid="${id}"`);
  });

  it('describes the deployment in /dashboard/config.json, without secrets', async () => {
    const config = (await (await fetch(`${baseUrl}/dashboard/config.json`)).json()) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      wsPath: '/ws',
      auth: 'jwt',
      alertsTopic: 'health_alerts',
      metrics: { heartRate: { kind: 'heart_rate', unit: 'bpm' } },
    });
    expect(config.alertRules).toContainEqual(
      expect.objectContaining({ id: 'heart-rate', max: 130 }),
    );
  });
});
