import { isRealtimePlatformError } from '@realtime-platform/errors';
import type {
  AccessAuditLog,
  AccessGrant,
  AccessPolicy,
  JwtAuthOptions,
} from '@realtime-platform/realtime-sdk';
import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify';
import {
  toAlertDto,
  toDeviceVitalsDto,
  type DeviceVitalsDto,
  type GetLatestVitalsUseCase,
  type ListRecentAlertsUseCase,
} from '../../application/index.js';
import { deviceIdMaxLength, type VitalKind } from '../../domain/index.js';
import { apiAuthHook } from './api-auth.hook.js';
import { apiErrorHandler } from './api-error.handler.js';
import { apiErrors } from './api.errors.js';
import {
  alertsQuerySchema,
  deviceParamsSchema,
  errorResponses,
  type AlertsQuery,
  type DeviceParams,
} from './api.schemas.js';

export interface ApiRoutesOptions {
  readonly getLatestVitals: GetLatestVitalsUseCase;
  readonly listRecentAlerts: ListRecentAlertsUseCase;
  /** The WebSocket hub's JWT settings; `false` only with RTP_WS_AUTH=disabled(-unsafe). */
  readonly auth: JwtAuthOptions | false;
  /** The access policy of the hub: the same claim, the same rules, the same codes. */
  readonly access: AccessPolicy;
  /** Where every read is recorded (who, route, device, allowed or refused). */
  readonly audit: AccessAuditLog;
  /** The topic a token must grant to read alerts. */
  readonly alertsTopic: string;
  /** The topic of each vital kind: a token sees the latest vitals of the topics it grants. */
  readonly vitalTopicOfKind: Readonly<Partial<Record<VitalKind, string>>>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The code of the coded error the request was answered with (for the audit line). */
    answeredWith: string | undefined;
  }
}

/**
 * The REST API (register with `prefix: '/api'`):
 * - `GET /devices/:id/latest` → the device's latest vital of each kind (`DeviceVitalsDto`), 404 if
 *   this replica has seen none since it started;
 * - `GET /alerts?limit=&since=&deviceId=` → `{ alerts: AlertDto[] }`, newest first.
 * Inputs are validated by JSON Schema; every error is `{ code, message, details? }`.
 *
 * Authorization: a device outside the token's grant is 403 API_DEVICE_NOT_GRANTED before it is
 * looked up (so a 404 tells nothing about devices one may not see); the latest vitals hold only
 * the kinds whose topics are granted (none: 403 API_TOPIC_NOT_GRANTED); alerts need the alerts
 * topic and list only granted devices. Every request leaves one audit line (`onResponse`).
 */
export const apiRoutes: FastifyPluginAsync<ApiRoutesOptions> = async (app, options) => {
  const { access, audit } = options;
  app.decorateRequest('accessGrant', null as unknown as AccessGrant);
  app.decorateRequest('accessSubject', undefined);
  app.decorateRequest('answeredWith', undefined);
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (isRealtimePlatformError(error)) request.answeredWith = error.code;
    return apiErrorHandler(error, request, reply);
  });
  app.setNotFoundHandler((request) => {
    throw apiErrors.ROUTE_NOT_FOUND({
      method: request.method,
      url: request.url.split('?')[0] ?? '',
    });
  });
  app.addHook('onRequest', apiAuthHook(options.auth, access));
  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const deviceId = deviceOf(request);
    audit.record({
      who: request.accessSubject,
      action: 'read',
      route: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`,
      ...(deviceId === undefined ? {} : { deviceId }),
      remote: request.ip,
      // Refused means refused by authentication or authorization; a 404 or 400 was allowed in.
      allowed: status !== 401 && status !== 403,
      ...(request.answeredWith === undefined ? {} : { reason: request.answeredWith }),
    });
  });

  const latestOf = (grant: AccessGrant, deviceId: string): DeviceVitalsDto => {
    const refused = access.checkDevice(grant, deviceId);
    if (refused !== undefined)
      throw apiErrors.API_DEVICE_NOT_GRANTED({ deviceId }, { cause: refused });
    const kinds = (Object.keys(options.vitalTopicOfKind) as VitalKind[]).filter(
      (kind) => access.checkTopic(grant, options.vitalTopicOfKind[kind] as string) === undefined,
    );
    if (kinds.length === 0)
      throw apiErrors.API_TOPIC_NOT_GRANTED({ topic: 'any vital-sign topic' });
    const all = toDeviceVitalsDto(options.getLatestVitals.execute(deviceId));
    const vitals = Object.fromEntries(
      Object.entries(all.vitals).filter(([kind]) => kinds.includes(kind as VitalKind)),
    );
    if (Object.keys(vitals).length === Object.keys(all.vitals).length) return all;
    // Only granted kinds, and their time: the others' times are theirs.
    const times = Object.values(vitals).map((vital) => Date.parse(vital.recordedAt));
    return {
      ...all,
      vitals,
      updatedAt: times.length === 0 ? all.updatedAt : new Date(Math.max(...times)).toISOString(),
    };
  };
  app.get<{ Params: DeviceParams }>(
    '/devices/:id/latest',
    { schema: { params: deviceParamsSchema, response: errorResponses } },
    async (request) => latestOf(request.accessGrant, request.params.id),
  );
  // The SDK's fastify router refuses path parameters over 100 characters (maxParamLength) with
  // 414, but device ids may have up to 128: longer ids reach this wildcard, which applies the
  // same rules as the schema above.
  app.get<{ Params: { '*': string } }>(
    '/devices/*',
    { schema: { response: errorResponses } },
    async (request) => {
      const match = /^([^/]+)\/latest$/.exec(request.params['*']);
      if (match === null)
        throw apiErrors.ROUTE_NOT_FOUND({
          method: request.method,
          url: request.url.split('?')[0] ?? '',
        });
      const deviceId = match[1] as string;
      if (deviceId.length > deviceIdMaxLength)
        throw apiErrors.REQUEST_INVALID({
          problems: [`params/id must NOT have more than ${deviceIdMaxLength} characters`],
        });
      return latestOf(request.accessGrant, deviceId);
    },
  );

  app.get<{ Querystring: AlertsQuery }>(
    '/alerts',
    { schema: { querystring: alertsQuerySchema, response: errorResponses } },
    async (request) => {
      const { limit, since, deviceId } = request.query;
      const grant = request.accessGrant;
      const topicRefused = access.checkTopic(grant, options.alertsTopic);
      if (topicRefused !== undefined)
        throw apiErrors.API_TOPIC_NOT_GRANTED(
          { topic: options.alertsTopic },
          { cause: topicRefused },
        );
      if (deviceId !== undefined) {
        const refused = access.checkDevice(grant, deviceId);
        if (refused !== undefined)
          throw apiErrors.API_DEVICE_NOT_GRANTED({ deviceId }, { cause: refused });
      }
      // Without a device: the alerts of the granted devices only (all of them only for "*").
      const scope = deviceId === undefined ? access.deviceScope(grant) : '*';
      const alerts = await options.listRecentAlerts.execute({
        limit,
        ...(since === undefined ? {} : { since: Date.parse(since) }),
        ...(deviceId === undefined ? {} : { deviceId }),
        ...(scope === '*' ? {} : { deviceIds: scope }),
      });
      return { alerts: alerts.map(toAlertDto) };
    },
  );
};

/** The device a request is about (the path's or the query's), for the audit line. */
function deviceOf(request: FastifyRequest): string | undefined {
  const params = request.params as { id?: unknown; '*'?: unknown } | undefined;
  if (typeof params?.id === 'string') return params.id;
  if (typeof params?.['*'] === 'string') return /^([^/]+)\/latest$/.exec(params['*'])?.[1];
  const query = request.query as { deviceId?: unknown } | undefined;
  return typeof query?.deviceId === 'string' ? query.deviceId : undefined;
}
