export { realtimeTokens } from './di.tokens.js';
export { RealtimeSdk, type RealtimeSdkOptions } from './realtime-sdk.js';
export {
  registerRealtimeSdk,
  type RegisterRealtimeSdkOptions,
} from './realtime-sdk.registrations.js';
