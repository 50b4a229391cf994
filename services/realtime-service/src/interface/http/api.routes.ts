import type { JwtAuthOptions } from '@realtime-platform/realtime-sdk';
import type { FastifyPluginAsync } from 'fastify';
import {
  toAlertDto,
  toDeviceVitalsDto,
  type GetLatestVitalsUseCase,
  type ListRecentAlertsUseCase,
} from '../../application/index.js';
import { deviceIdMaxLength } from '../../domain/index.js';
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
  /** The WebSocket hub's JWT settings; `false` only with RTP_WS_AUTH=disabled. */
  readonly auth: JwtAuthOptions | false;
}

/**
 * The REST API (register with `prefix: '/api'`):
 * - `GET /devices/:id/latest` → the device's latest vital of each kind (`DeviceVitalsDto`), 404 if
 *   this replica has seen none since it started;
 * - `GET /alerts?limit=&since=&deviceId=` → `{ alerts: AlertDto[] }`, newest first.
 * Inputs are validated by JSON Schema; every error is `{ code, message, details? }`.
 */
export const apiRoutes: FastifyPluginAsync<ApiRoutesOptions> = async (app, options) => {
  app.setErrorHandler(apiErrorHandler);
  app.setNotFoundHandler((request) => {
    throw apiErrors.ROUTE_NOT_FOUND({
      method: request.method,
      url: request.url.split('?')[0] ?? '',
    });
  });
  if (options.auth !== false) app.addHook('onRequest', apiAuthHook(options.auth));

  const latestOf = (deviceId: string) =>
    toDeviceVitalsDto(options.getLatestVitals.execute(deviceId));
  app.get<{ Params: DeviceParams }>(
    '/devices/:id/latest',
    { schema: { params: deviceParamsSchema, response: errorResponses } },
    async (request) => latestOf(request.params.id),
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
      return latestOf(deviceId);
    },
  );

  app.get<{ Querystring: AlertsQuery }>(
    '/alerts',
    { schema: { querystring: alertsQuerySchema, response: errorResponses } },
    async (request) => {
      const { limit, since, deviceId } = request.query;
      const alerts = await options.listRecentAlerts.execute({
        limit,
        ...(since === undefined ? {} : { since: Date.parse(since) }),
        ...(deviceId === undefined ? {} : { deviceId }),
      });
      return { alerts: alerts.map(toAlertDto) };
    },
  );
};
