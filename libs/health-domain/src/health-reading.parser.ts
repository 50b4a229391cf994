import { healthErrors } from './health.errors.js';
import {
  invalidReading,
  validateReading,
  type ReadingValidation,
  type ReadingValidationOptions,
} from './health-reading.validator.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes an MQTT (or Kafka) JSON payload and validates it. Never throws for bad input: invalid
 * UTF-8 and malformed JSON come back as coded errors (`RTP_ERR_HEALTH_PAYLOAD_*`) like any other
 * rejected reading, so one DLQ path handles them all. A leading BOM is tolerated.
 */
export function parseReading(
  payload: Buffer | Uint8Array | string,
  options: ReadingValidationOptions = {},
): ReadingValidation {
  let text: string;
  if (typeof payload === 'string') {
    text = payload.startsWith('\uFEFF') ? payload.slice(1) : payload;
  } else {
    try {
      text = utf8.decode(payload);
    } catch {
      return invalidReading([
        healthErrors.PAYLOAD_NOT_UTF8({ reason: 'not-utf8', bytes: payload.byteLength }),
      ]);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    return invalidReading([
      healthErrors.PAYLOAD_MALFORMED_JSON(
        { reason: 'malformed-json', parserMessage: (cause as Error).message },
        { cause },
      ),
    ]);
  }
  return validateReading(parsed, options);
}
