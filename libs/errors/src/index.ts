export {
  RealtimePlatformError,
  isRealtimePlatformError,
  kRealtimePlatformError,
  type RealtimePlatformErrorOptions,
} from './realtime-platform-error.js';
export {
  defineErrors,
  type ErrorFactory,
  type ErrorSpec,
  type CallOptions,
} from './define-errors.js';
export { findErrorByCode, isRetriable, walkErrorChain } from './error-chain.js';
