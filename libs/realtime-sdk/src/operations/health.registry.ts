import type { MessageBus } from '../kafka/message-bus.port.js';

export interface CheckResult {
  readonly ok: boolean;
  readonly detail: string;
}

export type HealthCheck = () => CheckResult | Promise<CheckResult>;

export interface Readiness {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, CheckResult>>;
}

/**
 * Readiness = every registered check passes and the process is not draining. Checks run in
 * parallel, each bounded by `timeoutMs` (a hanging broker means "not ready", not a hanging probe).
 */
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  private draining = false;

  constructor(private readonly timeoutMs = 3000) {}

  add(name: string, check: HealthCheck): this {
    this.checks.set(name, check);
    return this;
  }

  /** From now on, not ready (SIGTERM): the load balancer stops sending new clients. */
  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async readiness(): Promise<Readiness> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]): Promise<[string, CheckResult]> => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const timeout = new Promise<CheckResult>((resolve) => {
            timer = setTimeout(
              () => resolve({ ok: false, detail: `timed out after ${this.timeoutMs} ms` }),
              this.timeoutMs,
            );
          });
          return [name, await Promise.race([Promise.resolve(check()), timeout])];
        } catch (error) {
          return [name, { ok: false, detail: (error as Error).message }];
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    if (this.draining) checks.draining = { ok: false, detail: 'shutting down' };
    return { ready: Object.values(checks).every((result) => result.ok), checks };
  }
}

/** Brokers answer a metadata request. */
export const kafkaBrokersCheck =
  (bus: MessageBus): HealthCheck =>
  () =>
    bus.checkReachable();

/** Every subscription is a member of its group (not crashed, not rebalancing, not stopped). */
export const kafkaConsumersCheck =
  (bus: MessageBus): HealthCheck =>
  () => {
    const subscriptions = bus.subscriptions();
    const waiting = subscriptions.filter((subscription) => !subscription.joined());
    return waiting.length === 0
      ? { ok: true, detail: `${subscriptions.length} subscription(s) joined` }
      : {
          ok: false,
          // A refused login or ACL is final: name its code, so the probe says why.
          detail: `not joined: ${waiting
            .map((s) =>
              s.failed() === undefined ? s.groupId : `${s.groupId} (${s.failed()?.code})`,
            )
            .join(', ')}`,
        };
  };
