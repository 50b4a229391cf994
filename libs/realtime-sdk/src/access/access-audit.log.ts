import { silentLogger, type Logger } from '../telemetry/sdk.logger.js';
import type { SdkMetrics } from '../telemetry/sdk.metrics.js';

/** What was attempted: opening a connection, subscribing, or reading over REST. */
export type AccessAction = 'connect' | 'subscribe' | 'read';

export interface AccessAuditEvent {
  /** The token's `sub`; undefined when there is no (valid) token or auth is off. */
  readonly who: string | undefined;
  readonly action: AccessAction;
  readonly topic?: string;
  readonly deviceId?: string;
  /** REST: `GET /api/alerts`; WebSocket: the hub path. */
  readonly route?: string;
  /** The peer address, to tell two holders of one token apart. */
  readonly remote?: string;
  readonly allowed: boolean;
  /** The code the request was refused with (absent when allowed). */
  readonly reason?: string;
}

/**
 * The one place access decisions are written, as one structured line each through the service's
 * logger: `{"audit":{"who","action","topic","deviceId","route","remote","decision","reason","at"}}`
 * with the message `access audit`. The hub and the REST API of a service share it, so a log
 * pipeline selects every decision with `audit.decision` and never parses a message text.
 * Counted in `rtp_access_decisions_total{action,decision,reason}` (bounded labels: never who).
 */
export class AccessAuditLog {
  private readonly logger: Logger;

  constructor(
    logger: Logger = silentLogger,
    private readonly metrics?: SdkMetrics,
  ) {
    this.logger = logger.child({ component: 'access-audit' });
  }

  record(event: AccessAuditEvent): void {
    const decision = event.allowed ? 'allowed' : 'refused';
    this.metrics?.accessDecisions.inc({
      action: event.action,
      decision,
      reason: event.reason ?? 'granted',
    });
    this.logger.info(
      {
        audit: {
          who: event.who ?? null,
          action: event.action,
          ...(event.topic === undefined ? {} : { topic: event.topic }),
          ...(event.deviceId === undefined ? {} : { deviceId: event.deviceId }),
          ...(event.route === undefined ? {} : { route: event.route }),
          ...(event.remote === undefined ? {} : { remote: event.remote }),
          decision,
          ...(event.reason === undefined ? {} : { reason: event.reason }),
          at: new Date().toISOString(),
        },
      },
      'access audit',
    );
  }
}
