export { wsHubPlugin, wsHubPluginName } from './ws-hub.plugin.js';
export { WsHub, HubClient, type ClientStats, type PublishOptions } from './ws-hub.js';
export {
  defaultWsHubOptions,
  defaultWsHubCoreOptions,
  wsHubPluginOptionsSchema,
  wsHubCoreOptionsSchema,
  resolveWsHubPluginOptions,
  resolveWsHubCoreOptions,
  type AuthContext,
  type AuthorizeSubscription,
  type JwtAuthOptions,
  type QueueOptions,
  type WsHubCoreInput,
  type WsHubCoreOptions,
  type WsHubPluginInput,
  type WsHubPluginOptions,
} from './ws-hub.options.js';
export {
  closeCodes,
  protocolVersion,
  parseClientMessage,
  subscriptionKey,
  type ClientMessage,
  type CloseCode,
  type FilterValue,
  type ServerFrame,
  type SubscriptionFilter,
} from './ws-hub.protocol.js';
export { ClientQueue, type ControlFrame, type Gap } from './client-queue.js';
export {
  bearerProtocol,
  createTokenVerifier,
  defaultMaxTokenLifetimeSec,
  extractToken,
  remoteAuthRefusal,
  type TokenVerifier,
} from './ws-hub.auth.js';
export {
  bridgeKafkaToHub,
  jsonWithTextCodec,
  type BridgeOptions,
  type JsonWithText,
} from './kafka-to-hub.bridge.js';
