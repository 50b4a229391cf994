import type { VitalSign } from '../../domain/index.js';
import type { LatestVitalsStore, LiveFeed } from '../ports/index.js';

/**
 * A vital sign arrived: remember it as the device's latest and push it to the live subscribers
 * (those of its device and those of all devices: the feed filters).
 */
export class StreamLiveVitalUseCase {
  constructor(
    private readonly latest: LatestVitalsStore,
    private readonly feed: LiveFeed,
  ) {}

  execute(vital: VitalSign): void {
    this.latest.record(vital);
    this.feed.publishVital(vital);
  }
}
