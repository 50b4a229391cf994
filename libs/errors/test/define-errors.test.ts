import { describe, expect, it } from '@jest/globals';
import {
  defineErrors,
  findErrorByCode,
  isRealtimePlatformError,
  isRetriable,
  RealtimePlatformError,
} from '../src/index.js';

const errors = defineErrors('RTP_ERR_TEST', {
  BROKER_DOWN: {
    message: (p: { broker: string }) => `broker ${p.broker} is down`,
    retriable: true,
  },
  BAD_VALUE: { message: (p: { key: string }) => `value of ${p.key} is malformed` },
});

describe('defineErrors', () => {
  it('derives each code from the prefix and the table key', () => {
    expect(errors.BROKER_DOWN.code).toBe('RTP_ERR_TEST_BROKER_DOWN');
    expect(errors.BAD_VALUE.code).toBe('RTP_ERR_TEST_BAD_VALUE');
  });

  it('builds the message and details from the parameters', () => {
    const error = errors.BAD_VALUE({ key: 'MQTT_PORT' });
    expect(error.message).toBe('value of MQTT_PORT is malformed');
    expect(error.details).toEqual({ key: 'MQTT_PORT' });
    expect(error.toJSON()).toMatchObject({ code: 'RTP_ERR_TEST_BAD_VALUE', retriable: false });
  });

  it('marks errors non-retriable unless the table says otherwise', () => {
    expect(errors.BAD_VALUE({ key: 'k' }).retriable).toBe(false);
    expect(errors.BROKER_DOWN({ broker: 'b' }).retriable).toBe(true);
  });

  it('recognises its own code only', () => {
    const error = errors.BAD_VALUE({ key: 'k' });
    expect(errors.BAD_VALUE.is(error)).toBe(true);
    expect(errors.BROKER_DOWN.is(error)).toBe(false);
    expect(errors.BAD_VALUE.is(new Error('plain'))).toBe(false);
  });

  it('passes the cause natively', () => {
    const cause = new Error('ECONNREFUSED');
    expect(errors.BROKER_DOWN({ broker: 'b' }, { cause }).cause).toBe(cause);
  });
});

describe('error chains', () => {
  it('recognises coded errors by brand, not by class identity', () => {
    const lookalike = JSON.parse(JSON.stringify(errors.BAD_VALUE({ key: 'k' })));
    expect(isRealtimePlatformError(errors.BAD_VALUE({ key: 'k' }))).toBe(true);
    expect(isRealtimePlatformError(lookalike)).toBe(false);
  });

  it('finds a coded error wrapped in causes and aggregate errors', () => {
    const inner = errors.BROKER_DOWN({ broker: 'b' });
    const wrapped = new Error('outer', { cause: new AggregateError([new Error('x'), inner]) });
    expect(findErrorByCode(wrapped, errors.BROKER_DOWN.code)).toBe(inner);
    expect(findErrorByCode(wrapped, errors.BAD_VALUE.code)).toBeUndefined();
  });

  it('takes the retry verdict from the outermost coded error', () => {
    const retriableInside = new RealtimePlatformError('RTP_ERR_OUTER', 'outer', {
      cause: errors.BROKER_DOWN({ broker: 'b' }),
    });
    expect(isRetriable(retriableInside)).toBe(false);
    expect(isRetriable(new Error('wrap', { cause: errors.BROKER_DOWN({ broker: 'b' }) }))).toBe(
      true,
    );
  });

  it('never retries unknown errors', () => {
    expect(isRetriable(new Error('boom'))).toBe(false);
    expect(isRetriable('a string')).toBe(false);
  });
});
