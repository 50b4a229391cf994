import { jsonCodec, mapDecoded, type Codec } from '@realtime-platform/realtime-sdk';
import { alertFromDto, toAlertDto, type AlertDto } from '../../application/index.js';
import type { Alert } from '../../domain/index.js';

const dtoCodec = jsonCodec<AlertDto>();

/**
 * Alerts on the alerts topic: UTF-8 JSON of `AlertDto`, key = deviceId. Decoding checks every
 * field (a malformed alert is a decode failure and goes to `<alerts topic>.dlq`).
 */
export const alertMessageCodec: Codec<Alert> = {
  name: 'json-alert',
  encode: (alert, context) => dtoCodec.encode(toAlertDto(alert), context),
  decode: (bytes, context) => mapDecoded(dtoCodec.decode(bytes, context), alertFromDto),
};
