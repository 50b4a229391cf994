import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { metricUnits, kindOfMetric, type AlertRule, type VitalKind } from '../../domain/index.js';

/** What the dashboard script needs to know about this deployment (no secrets). */
export interface DashboardConfig {
  readonly wsPath: string;
  /** `jwt`: the page needs a token (`#token=<jwt>` or pasted); `disabled`: it connects without. */
  readonly auth: 'jwt' | 'disabled';
  /** The token claim that lists the devices and topics (the page subscribes to those only). */
  readonly accessClaim: string;
  /** The hub topic of each vital-sign kind this service streams. */
  readonly vitalTopics: Partial<Record<VitalKind, string>>;
  readonly alertsTopic: string;
  readonly metrics: Readonly<Record<string, { readonly kind: VitalKind; readonly unit: string }>>;
  readonly alertRules: readonly ReturnType<AlertRule['toProps']>[];
}

export interface DashboardRoutesOptions {
  /** The `public/` directory of the package. */
  readonly publicDir: string | URL;
  readonly config: Omit<DashboardConfig, 'metrics' | 'alertRules'> & {
    readonly alertRules: readonly AlertRule[];
  };
}

/** The files of the page; nothing else under `public/` is served. */
const files: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard-state.js': 'text/javascript; charset=utf-8',
  'live-connection.js': 'text/javascript; charset=utf-8',
  'sparkline.js': 'text/javascript; charset=utf-8',
};

/**
 * Same-origin only: the page loads nothing from elsewhere (no CDN) and connects only to this
 * service (REST and the WebSocket hub).
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The live dashboard: `GET /` (the page), `GET /dashboard/<file>` (its module scripts and
 * styles, read once at start) and `GET /dashboard/config.json`. Static files hold no data; the
 * data comes over the authenticated WebSocket and REST API.
 */
export const dashboardRoutes: FastifyPluginAsync<DashboardRoutesOptions> = async (app, options) => {
  const dir =
    typeof options.publicDir === 'string' ? options.publicDir : fileURLToPath(options.publicDir);
  const contents = new Map(
    Object.keys(files).map((name) => [name, readFileSync(join(dir, name))] as const),
  );
  const config: DashboardConfig = {
    ...options.config,
    metrics: Object.fromEntries(
      Object.entries(metricUnits).map(([metric, unit]) => [
        metric,
        { kind: kindOfMetric[metric as keyof typeof kindOfMetric], unit },
      ]),
    ),
    alertRules: options.config.alertRules.map((rule) => rule.toProps()),
  };

  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', contentSecurityPolicy);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cache-control', 'no-cache');
  });

  const send = (name: string) => async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type(files[name] as string).send(contents.get(name));

  app.get('/', send('index.html'));
  for (const name of Object.keys(files)) {
    if (name !== 'index.html') app.get(`/dashboard/${name}`, send(name));
  }
  app.get('/dashboard/config.json', async () => config);
};
