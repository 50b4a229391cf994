import type { RuleTransition, RuleTrip } from '../../domain/index.js';

/** A trip or recovery of a rule, at the measurement that caused it. */
export interface RecordedRuleTransition extends RuleTransition {
  /** The measurement's time (epoch milliseconds): an older transition never overwrites a newer one. */
  readonly recordedAt: number;
}

/**
 * Where the alert rules' state (which rules are tripped for which device) outlives the process,
 * so a restarted or rebalanced service does not raise an ongoing breach a second time. Rejects
 * with a retriable coded error when the store is down.
 */
export interface AlertRuleStateStore {
  /** Every (rule, device) pair whose last recorded transition is a trip. */
  tripped(): Promise<RuleTrip[]>;
  /** Records transitions; for each pair the one with the latest `recordedAt` wins. */
  record(transitions: readonly RecordedRuleTransition[]): Promise<void>;
}
