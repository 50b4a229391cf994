/** Injection tokens of this service (symbols; the SDK's are in `realtimeTokens`). */
export const serviceTokens = {
  ServiceConfig: Symbol.for('realtime-service.ServiceConfig'),
  AlertDatabase: Symbol.for('realtime-service.AlertDatabase'),
  SchemaRegistry: Symbol.for('realtime-service.SchemaRegistry'),
  Clock: Symbol.for('realtime-service.Clock'),
  AlertPolicy: Symbol.for('realtime-service.AlertPolicy'),
  AlertRepository: Symbol.for('realtime-service.AlertRepository'),
  AlertPublisher: Symbol.for('realtime-service.AlertPublisher'),
  AlertRuleStateStore: Symbol.for('realtime-service.AlertRuleStateStore'),
  LatestVitalsStore: Symbol.for('realtime-service.LatestVitalsStore'),
  LiveFeed: Symbol.for('realtime-service.LiveFeed'),
  StreamLiveVital: Symbol.for('realtime-service.StreamLiveVital'),
  StreamLiveAlert: Symbol.for('realtime-service.StreamLiveAlert'),
  RaiseAlerts: Symbol.for('realtime-service.RaiseAlerts'),
  GetLatestVitals: Symbol.for('realtime-service.GetLatestVitals'),
  ListRecentAlerts: Symbol.for('realtime-service.ListRecentAlerts'),
  VitalStreamConsumers: Symbol.for('realtime-service.VitalStreamConsumers'),
} as const;
