import type { Alert } from '../../domain/index.js';
import type { LiveFeed } from '../ports/index.js';

/**
 * An alert arrived on the alerts topic (raised by whichever replica evaluated the record): push
 * it to this replica's live subscribers.
 */
export class StreamLiveAlertUseCase {
  constructor(private readonly feed: LiveFeed) {}

  execute(alert: Alert): void {
    this.feed.publishAlert(alert);
  }
}
