import {
  Alert,
  AlertPolicy,
  type AlertEvaluation,
  type RuleTransition,
  type VitalSign,
} from '../../domain/index.js';
import type {
  AlertPublisher,
  AlertRepository,
  AlertRuleStateStore,
  Clock,
} from '../ports/index.js';

/**
 * Checks a vital sign against the alert rules. Each rule that newly trips raises an alert that is
 * stored, then published to the alerts topic; then the rules' transitions are persisted, and only
 * then is the in-memory rule state committed. Every step is safe to repeat, so a failure or a
 * crash at any point (and the redelivery that follows) raises each alert once:
 * - before the transitions are persisted, the redelivered record raises the same alert with the
 *   same id: the store dedupes it, and the alerts topic may carry it twice (same id);
 * - after, `restoreState` (at start and after a rebalance) knows the rule tripped, and the
 *   redelivered record finds an ongoing breach, not a new one.
 * The store comes before the publish so that, while the database is down, nothing is published
 * again and again: the record waits (a retriable error) and the alert follows when it is back.
 */
export class RaiseAlertsUseCase {
  constructor(
    private readonly policy: AlertPolicy,
    private readonly alerts: AlertRepository,
    private readonly publisher: AlertPublisher,
    private readonly ruleState: AlertRuleStateStore,
    private readonly clock: Clock,
  ) {}

  /**
   * Synchronous when no rule trips or clears (nearly every reading): nothing to store, so no
   * promise per reading - the rules see every vital sign, tens of thousands per second.
   */
  execute(vital: VitalSign): Alert[] | Promise<Alert[]> {
    const evaluation = this.policy.evaluate(vital);
    const transitions = AlertPolicy.transitions(evaluation);
    if (evaluation.raised.length === 0 && transitions.length === 0) {
      this.policy.commit(evaluation);
      return [];
    }
    return this.raise(vital, evaluation, transitions);
  }

  private async raise(
    vital: VitalSign,
    evaluation: AlertEvaluation,
    transitions: readonly RuleTransition[],
  ): Promise<Alert[]> {
    const raised = evaluation.raised.map((breach) => Alert.raise(breach, vital, this.clock.now()));
    for (const alert of raised) {
      await this.alerts.save(alert);
      await this.publisher.publish(alert);
    }
    if (transitions.length > 0) {
      await this.ruleState.record(
        transitions.map((transition) => ({ ...transition, recordedAt: vital.recordedAt })),
      );
    }
    this.policy.commit(evaluation);
    return raised;
  }

  /** Loads the persisted rule state: at start, and whenever the consumer's partitions changed. */
  async restoreState(): Promise<void> {
    this.policy.restore(await this.ruleState.tripped());
  }
}
