/** What the split counts, beyond the SDK's per-topic record counters. */
export interface ProcessorMetricsPort {
  /** Valid readings split into the four vital topics. */
  readingsSplit(count: number): void;
  /** A reading rejected (it goes to the DLQ), by the code of its first problem. */
  readingRejected(reasonCode: string): void;
  /** Unknown fields dropped from valid readings (newer device firmware). */
  fieldsIgnored(count: number): void;
}
