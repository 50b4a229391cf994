import { Alert, type AlertPolicy, type VitalSign } from '../../domain/index.js';
import type { AlertPublisher, AlertRepository, Clock } from '../ports/index.js';

/**
 * Checks a vital sign against the alert rules. Each rule that newly trips raises an alert that is
 * stored and then published to the alerts topic. The rule state is committed only after both
 * succeeded: if either fails, the error propagates (the consumer retries retriable errors), and
 * the redelivered record raises the same alert with the same id, which the store dedupes.
 */
export class RaiseAlertsUseCase {
  constructor(
    private readonly policy: AlertPolicy,
    private readonly alerts: AlertRepository,
    private readonly publisher: AlertPublisher,
    private readonly clock: Clock,
  ) {}

  async execute(vital: VitalSign): Promise<Alert[]> {
    const evaluation = this.policy.evaluate(vital);
    const raised = evaluation.raised.map((breach) => Alert.raise(breach, vital, this.clock.now()));
    for (const alert of raised) {
      await this.alerts.save(alert);
      await this.publisher.publish(alert);
    }
    this.policy.commit(evaluation);
    return raised;
  }
}
