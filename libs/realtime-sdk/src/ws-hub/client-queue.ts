/** Dropped data frames of one subscription, as a range of sequence numbers. */
export interface Gap {
  from: number;
  to: number;
  dropped: number;
}

/**
 * A frame that is an answer to the client rather than data: a complete text frame (ack, error)
 * or the payload of a pong. Answers are never dropped.
 */
export type ControlFrame =
  | { readonly kind: 'text'; readonly frame: Buffer }
  | { readonly kind: 'pong'; readonly data: Buffer };

/** What a pong costs in the queue: its payload and a frame header. */
const controlBytes = (entry: ControlFrame): number =>
  entry.kind === 'text' ? entry.frame.length : entry.data.length + 2;

/**
 * The outgoing frames of one client, bounded in frames and in bytes.
 *
 * - **Data frames** sit in a ring buffer of references (the frames themselves are shared by all
 *   clients). When `capacity` frames or `maxBytes` bytes are reached, `push` drops the **oldest**
 *   and records it as a gap of its channel, so the client learns what it missed (a `gap` frame)
 *   and always gets the newest data - for live vital signs, fresh beats complete.
 * - **Control frames** (acks, errors, pongs) wait in a FIFO of at most `controlCapacity` that
 *   counts against the same `maxBytes`; data frames are dropped to make room for them. When one
 *   still does not fit, `pushControl` returns false and the hub closes the client: an answer may
 *   not be dropped, and a client that asks faster than it reads must not grow the server.
 */
export class ClientQueue<C> {
  private readonly frames: (Buffer | undefined)[];
  private readonly channels: (C | undefined)[];
  private readonly seqs: number[];
  private head = 0;
  private size = 0;
  private readonly control: ControlFrame[] = [];
  private controlHead = 0;
  /** Bytes of the waiting data and control frames. */
  bytes = 0;
  /** Dropped ranges per channel, in the order they were first recorded. */
  readonly gaps = new Map<C, Gap>();
  droppedTotal = 0;

  constructor(
    readonly capacity: number,
    readonly maxBytes: number = Number.POSITIVE_INFINITY,
    readonly controlCapacity: number = Number.POSITIVE_INFINITY,
  ) {
    this.frames = new Array<Buffer | undefined>(capacity);
    this.channels = new Array<C | undefined>(capacity);
    this.seqs = new Array<number>(capacity).fill(0);
  }

  /** Waiting data frames. */
  get length(): number {
    return this.size;
  }

  /** Waiting control frames. */
  get controlLength(): number {
    return this.control.length - this.controlHead;
  }

  /** Adds a data frame; returns true when older frames had to be dropped to make room. */
  push(frame: Buffer, channel: C, seq: number): boolean {
    const before = this.droppedTotal;
    while (
      this.size > 0 &&
      (this.size === this.capacity || this.bytes + frame.length > this.maxBytes)
    )
      this.dropOldest();
    if (this.bytes + frame.length > this.maxBytes) {
      // Larger than the whole budget on its own: it can never be sent, so it is a gap at once.
      this.recordGap(channel, seq);
      return true;
    }
    const tail = (this.head + this.size) % this.capacity;
    this.frames[tail] = frame;
    this.channels[tail] = channel;
    this.seqs[tail] = seq;
    this.size += 1;
    this.bytes += frame.length;
    return this.droppedTotal > before;
  }

  /**
   * Adds a control frame, dropping the oldest data frames if the bytes need it. Returns false -
   * and adds nothing - when `controlCapacity` control frames wait already or it does not fit in
   * `maxBytes` even without data.
   */
  pushControl(entry: ControlFrame): boolean {
    const size = controlBytes(entry);
    if (this.controlLength >= this.controlCapacity) return false;
    while (this.size > 0 && this.bytes + size > this.maxBytes) this.dropOldest();
    if (this.bytes + size > this.maxBytes) return false;
    this.control.push(entry);
    this.bytes += size;
    return true;
  }

  /** The oldest control frame, removed from the queue. */
  shiftControl(): ControlFrame | undefined {
    if (this.controlLength === 0) return undefined;
    const entry = this.control[this.controlHead] as ControlFrame;
    this.control[this.controlHead] = undefined as unknown as ControlFrame;
    this.controlHead += 1;
    this.bytes -= controlBytes(entry);
    if (this.controlHead === this.control.length) {
      this.control.length = 0;
      this.controlHead = 0;
    }
    return entry;
  }

  private dropOldest(): void {
    const channel = this.channels[this.head] as C;
    const seq = this.seqs[this.head] as number;
    this.removeHead();
    this.recordGap(channel, seq);
  }

  private recordGap(channel: C, seq: number): void {
    this.droppedTotal += 1;
    const gap = this.gaps.get(channel);
    if (gap === undefined) this.gaps.set(channel, { from: seq, to: seq, dropped: 1 });
    else {
      gap.to = seq;
      gap.dropped += 1;
    }
  }

  private removeHead(): void {
    this.bytes -= (this.frames[this.head] as Buffer).length;
    this.frames[this.head] = undefined;
    this.channels[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.size -= 1;
  }

  /** The oldest data frame without removing it. */
  peek(): { frame: Buffer; channel: C; seq: number } | undefined {
    if (this.size === 0) return undefined;
    return {
      frame: this.frames[this.head] as Buffer,
      channel: this.channels[this.head] as C,
      seq: this.seqs[this.head] as number,
    };
  }

  shift(): void {
    if (this.size === 0) return;
    this.removeHead();
  }

  /** Takes the recorded gaps (the caller sends them) and forgets them. */
  takeGaps(): [C, Gap][] {
    const gaps = [...this.gaps];
    this.gaps.clear();
    return gaps;
  }

  clear(): void {
    while (this.size > 0) this.shift();
    while (this.controlLength > 0) this.shiftControl();
    this.gaps.clear();
  }
}
