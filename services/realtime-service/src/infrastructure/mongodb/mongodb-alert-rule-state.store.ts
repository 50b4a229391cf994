import type { Collection } from 'mongodb';
import { MongoServerError } from 'mongodb';
import type { AlertRuleStateStore, RecordedRuleTransition } from '../../application/index.js';
import type { RuleTrip } from '../../domain/index.js';
import { duplicateKeyCode, mongodbError } from './mongodb.errors.js';

/** One (rule, device) pair's state; `_id` is the pair, unambiguous as a JSON array. */
export interface RuleStateDocument {
  _id: string;
  ruleId: string;
  deviceId: string;
  tripped: boolean;
  recordedAt: Date;
}

/**
 * The alert rules' state in MongoDB (collection `<prefix>_alert_rule_state`). A transition is an
 * upsert filtered on an older-or-equal `recordedAt`: when the stored measurement is newer the
 * filter matches nothing and the upsert's insert meets the existing `_id` (duplicate key), which
 * means "keep the newer state". Applied in order, so within one batch the latest wins too.
 */
export class MongodbAlertRuleStateStore implements AlertRuleStateStore {
  constructor(private readonly collection: Collection<RuleStateDocument>) {}

  async tripped(): Promise<RuleTrip[]> {
    try {
      const documents = await this.collection.find({ tripped: true }).toArray();
      return documents.map((d) => ({ ruleId: d.ruleId, deviceId: d.deviceId }));
    } catch (error) {
      throw mongodbError('load alert rule state', error);
    }
  }

  async record(transitions: readonly RecordedRuleTransition[]): Promise<void> {
    for (const t of transitions) {
      const recordedAt = new Date(t.recordedAt);
      try {
        await this.collection.updateOne(
          { _id: JSON.stringify([t.ruleId, t.deviceId]), recordedAt: { $lte: recordedAt } },
          { $set: { ruleId: t.ruleId, deviceId: t.deviceId, tripped: t.tripped, recordedAt } },
          { upsert: true },
        );
      } catch (error) {
        if (error instanceof MongoServerError && error.code === duplicateKeyCode) continue;
        throw mongodbError('record alert rule state', error);
      }
    }
  }
}
