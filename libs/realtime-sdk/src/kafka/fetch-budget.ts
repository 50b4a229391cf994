import { getHeapStatistics } from 'node:v8';

const mib = 1024 * 1024;
/** kafkajs's default, and this SDK's before the budget: enough for any rate the bench reaches. */
const largestFetchBytes = 10 * mib;
const smallestFetchBytes = 1 * mib;

/**
 * Most bytes one fetch of a consumer may bring (Kafka's `fetch.max.bytes`), sized to the heap the
 * process has. A consumer that falls behind gets full fetches, and the client decodes a whole
 * fetch at once: a ~100-byte record becomes ~1 KiB of objects (measured: a 10 MiB fetch held
 * ~100k records, and realtime-service - two consumers - died of heap exhaustion in its 256 MiB
 * pod at 5k readings/s). A fetch of 1/128 of the heap decodes to under a tenth of it, so a
 * service with two consumers, each holding a fetch and a round, keeps most of its heap for its
 * work. Unconstrained processes (a large heap) keep 10 MiB.
 */
export function fetchMaxBytesFor(heapLimitBytes: number): number {
  return Math.min(
    largestFetchBytes,
    Math.max(smallestFetchBytes, Math.floor(heapLimitBytes / 128)),
  );
}

/** The budget of this process (its heap limit: the image's `--max-old-space-size-percentage`). */
export const processFetchMaxBytes = (): number =>
  fetchMaxBytesFor(getHeapStatistics().heap_size_limit);
