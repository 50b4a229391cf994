import { isRealtimePlatformError, type RealtimePlatformError } from '@realtime-platform/errors';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { applicationErrors } from '../../application/index.js';
import { domainErrors } from '../../domain/index.js';
import { apiErrors } from './api.errors.js';

/**
 * The HTTP status of each coded error the API answers with. Other coded errors are 503 when
 * retriable (a store that is down: try again) and 500 otherwise.
 */
export const statusOfCode: Readonly<Record<string, number>> = {
  [apiErrors.REQUEST_INVALID.code]: 400,
  [applicationErrors.QUERY_INVALID.code]: 400,
  [domainErrors.DEVICE_ID_INVALID.code]: 400,
  [apiErrors.API_TOKEN_MISSING.code]: 401,
  [apiErrors.API_TOKEN_INVALID.code]: 401,
  [apiErrors.API_TOKEN_EXPIRED.code]: 401,
  [apiErrors.API_ACCESS_CLAIM_INVALID.code]: 403,
  [apiErrors.API_TOPIC_NOT_GRANTED.code]: 403,
  [apiErrors.API_DEVICE_NOT_GRANTED.code]: 403,
  [applicationErrors.DEVICE_NOT_FOUND.code]: 404,
  [apiErrors.ROUTE_NOT_FOUND.code]: 404,
};

export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

function bodyOf(error: RealtimePlatformError): ErrorBody {
  const details = Object.keys(error.details).length > 0 ? { details: error.details } : {};
  return { code: error.code, message: error.message, ...details };
}

/**
 * Every API error as `{ code, message, details? }`: schema validation failures are 400
 * RTP_ERR_REALTIME_SERVICE_REQUEST_INVALID naming each field, coded errors get the status of
 * `statusOfCode` (503 for other retriable ones), anything unexpected is logged and answered 500 without internals.
 */
export async function apiErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  if (error.validation !== undefined) {
    const problems = error.validation.map((issue) => {
      const where = `${error.validationContext ?? 'request'}${issue.instancePath}`;
      const missing = (issue.params as { missingProperty?: string }).missingProperty;
      return missing === undefined
        ? `${where} ${issue.message}`
        : `${where}/${missing} is required`;
    });
    return reply.code(400).send(bodyOf(apiErrors.REQUEST_INVALID({ problems })));
  }
  if (isRealtimePlatformError(error)) {
    const status = statusOfCode[error.code] ?? (error.retriable ? 503 : 500);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    if (status === 500) return reply.code(500).send(bodyOf(apiErrors.INTERNAL(undefined)));
    if (status === 503) reply.header('retry-after', '5');
    return reply.code(status).send(bodyOf(error));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send({ code: error.code ?? 'FST_ERR', message: error.message });
  }
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send(bodyOf(apiErrors.INTERNAL(undefined)));
}
