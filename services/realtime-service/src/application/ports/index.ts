export type { AlertPublisher } from './alert.publisher.port.js';
export type { AlertRepository, RecentAlertsQuery } from './alert.repository.port.js';
export type { AlertRuleStateStore, RecordedRuleTransition } from './alert-rule-state.store.port.js';
export type { Clock } from './clock.port.js';
export type { LatestVitalsStore } from './latest-vitals.store.port.js';
export type { LiveFeed } from './live-feed.port.js';
