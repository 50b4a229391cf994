import type { Collection, Filter } from 'mongodb';
import { MongoServerError } from 'mongodb';
import type { AlertRepository, RecentAlertsQuery } from '../../application/index.js';
import {
  Alert,
  type AlertSeverity,
  type BreachDirection,
  type VitalKind,
  type VitalMetric,
} from '../../domain/index.js';
import { duplicateKeyCode, mongodbError } from './mongodb.errors.js';

/** An alert as a document: its id is `_id`, times are BSON dates (milliseconds, exactly). */
export interface AlertDocument {
  _id: string;
  deviceId: string;
  ruleId: string;
  kind: string;
  metric: string;
  value: number;
  threshold: number;
  direction: string;
  severity: string;
  message: string;
  recordedAt: Date;
  raisedAt: Date;
}

/** Alerts in MongoDB (collection `<prefix>_alerts`, indexes in mongodb-migrations.ts). */
export class MongodbAlertRepository implements AlertRepository {
  constructor(private readonly collection: Collection<AlertDocument>) {}

  async save(alert: Alert): Promise<boolean> {
    const a = alert.toProps();
    try {
      await this.collection.insertOne({
        _id: a.id,
        deviceId: a.deviceId,
        ruleId: a.ruleId,
        kind: a.kind,
        metric: a.metric,
        value: a.value,
        threshold: a.threshold,
        direction: a.direction,
        severity: a.severity,
        message: a.message,
        recordedAt: new Date(a.recordedAt),
        raisedAt: new Date(a.raisedAt),
      });
      return true;
    } catch (error) {
      // The same id again (a redelivery): already stored, nothing changes.
      if (error instanceof MongoServerError && error.code === duplicateKeyCode) return false;
      throw mongodbError('save alert', error);
    }
  }

  async listRecent(query: RecentAlertsQuery): Promise<Alert[]> {
    const conditions: Filter<AlertDocument>[] = [];
    if (query.since !== undefined) conditions.push({ raisedAt: { $gte: new Date(query.since) } });
    if (query.deviceId !== undefined) conditions.push({ deviceId: query.deviceId });
    // The devices a token grants, in the query (never filtered after the limit).
    if (query.deviceIds !== undefined) conditions.push({ deviceId: { $in: [...query.deviceIds] } });
    let documents: AlertDocument[];
    try {
      documents = await this.collection
        .find(conditions.length > 0 ? { $and: conditions } : {})
        .sort({ raisedAt: -1, _id: -1 })
        .limit(query.limit)
        .toArray();
    } catch (error) {
      throw mongodbError('list alerts', error);
    }
    return documents.map((d) =>
      Alert.restore({
        id: d._id,
        deviceId: d.deviceId,
        ruleId: d.ruleId,
        kind: d.kind as VitalKind,
        metric: d.metric as VitalMetric,
        value: d.value,
        threshold: d.threshold,
        direction: d.direction as BreachDirection,
        severity: d.severity as AlertSeverity,
        message: d.message,
        recordedAt: d.recordedAt.getTime(),
        raisedAt: d.raisedAt.getTime(),
      }),
    );
  }
}
