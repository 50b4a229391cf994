import type { Collection, Filter } from 'mongodb';
import { MongoServerError } from 'mongodb';
import type { AlertRepository, RecentAlertsQuery } from '../../application/index.js';
import type { Alert } from '../../domain/index.js';
import {
  alertFromRecord,
  toAlertRecord,
  type AlertRecord,
} from '../database/alert-record.mapper.js';
import { duplicateKeyCode, mongodbError } from './mongodb.errors.js';

/** An alert as a document: its id is `_id`, times are BSON dates (milliseconds, exactly). */
export type AlertDocument = Omit<AlertRecord, 'id'> & { _id: string };

/** Alerts in MongoDB (collection `<prefix>_alerts`, indexes in mongodb-migrations.ts). */
export class MongodbAlertRepository implements AlertRepository {
  constructor(private readonly collection: Collection<AlertDocument>) {}

  async save(alert: Alert): Promise<boolean> {
    const { id, ...fields } = toAlertRecord(alert);
    try {
      await this.collection.insertOne({ _id: id, ...fields });
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
    return documents.map(({ _id, ...fields }) => alertFromRecord({ id: _id, ...fields }));
  }
}
