import { alertListLimits } from '../../application/index.js';
import { deviceIdMaxLength } from '../../domain/index.js';

/** JSON Schemas of the REST requests (fastify validates them with ajv before a handler runs). */

export const deviceParamsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: deviceIdMaxLength, pattern: '\\S' },
  },
} as const;

export interface DeviceParams {
  readonly id: string;
}

export const alertsQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: alertListLimits.max,
      default: alertListLimits.default,
    },
    since: { type: 'string', format: 'date-time' },
    deviceId: { type: 'string', minLength: 1, maxLength: deviceIdMaxLength, pattern: '\\S' },
  },
} as const;

export interface AlertsQuery {
  readonly limit: number;
  readonly since?: string;
  readonly deviceId?: string;
}

const errorBody = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
  },
} as const;

export const errorResponses = { '4xx': errorBody, '5xx': errorBody } as const;
