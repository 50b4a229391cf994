import type { Admin } from 'kafkajs';

/** When the output topics' record count passed a level, by sampling their end offsets. */
export interface DrainTimeline {
  /** Milliseconds (performance.now()) of each sample, and the new records seen then. */
  readonly samples: readonly (readonly [number, number])[];
  readonly startedAt: number;
  readonly firstAt: number;
  readonly doneAt: number;
}

/** Sum of the end offsets of `topics`. */
export async function endOffsetTotal(admin: Admin, topics: readonly string[]): Promise<number> {
  let total = 0;
  for (const topic of topics) {
    for (const { high } of await admin.fetchTopicOffsets(topic)) total += Number(high);
  }
  return total;
}

/**
 * Polls the end offsets of `topics` every `pollMs` until `expected` new records (beyond
 * `baseline`) are there. Fails if `alive()` turns false or nothing moves for `stallMs`.
 */
export async function awaitDrain(options: {
  readonly admin: Admin;
  readonly topics: readonly string[];
  readonly baseline: number;
  readonly expected: number;
  readonly alive: () => boolean;
  readonly pollMs?: number;
  readonly stallMs?: number;
}): Promise<DrainTimeline> {
  const { admin, topics, baseline, expected, alive } = options;
  const pollMs = options.pollMs ?? 50;
  const stallMs = options.stallMs ?? 120_000;
  const startedAt = performance.now();
  const samples: [number, number][] = [];
  let firstAt: number | undefined;
  let last = 0;
  let lastMoveAt = startedAt;
  for (;;) {
    const now = performance.now();
    const seen = (await endOffsetTotal(admin, topics)) - baseline;
    samples.push([now, seen]);
    if (seen > 0 && firstAt === undefined) firstAt = now;
    if (seen !== last) lastMoveAt = now;
    last = seen;
    if (seen >= expected) return { samples, startedAt, firstAt: firstAt ?? now, doneAt: now };
    if (!alive()) throw new Error(`the splitter exited after ${seen}/${expected} records`);
    if (now - lastMoveAt > stallMs) {
      throw new Error(`no progress for ${stallMs} ms at ${seen}/${expected} records`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The time (ms) the count first reached `level`, interpolated between samples. */
export function timeAtLevel(
  samples: readonly (readonly [number, number])[],
  level: number,
): number {
  for (let i = 0; i < samples.length; i += 1) {
    const [t, count] = samples[i] as readonly [number, number];
    if (count < level) continue;
    const previous = samples[i - 1];
    if (previous === undefined || count === previous[1]) return t;
    const [t0, c0] = previous;
    return t0 + ((level - c0) / (count - c0)) * (t - t0);
  }
  return NaN;
}
