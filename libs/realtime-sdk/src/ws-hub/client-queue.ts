/** Dropped data frames of one subscription, as a range of sequence numbers. */
export interface Gap {
  from: number;
  to: number;
  dropped: number;
}

/**
 * A bounded FIFO of frames for one client (a ring buffer of references: the frames themselves
 * are shared by all clients). When full, `push` drops the **oldest** frame and records it as a
 * gap of its channel, so the client learns what it missed (a `gap` frame) and always gets the
 * newest data - for live vital signs, fresh beats complete.
 */
export class ClientQueue<C> {
  private readonly frames: (Buffer | undefined)[];
  private readonly channels: (C | undefined)[];
  private readonly seqs: number[];
  private head = 0;
  private size = 0;
  /** Dropped ranges per channel, in the order they were first recorded. */
  readonly gaps = new Map<C, Gap>();
  droppedTotal = 0;

  constructor(readonly capacity: number) {
    this.frames = new Array<Buffer | undefined>(capacity);
    this.channels = new Array<C | undefined>(capacity);
    this.seqs = new Array<number>(capacity).fill(0);
  }

  get length(): number {
    return this.size;
  }

  /** Adds a frame; returns true when an older frame had to be dropped to make room. */
  push(frame: Buffer, channel: C, seq: number): boolean {
    let dropped = false;
    if (this.size === this.capacity) {
      this.dropOldest();
      dropped = true;
    }
    const tail = (this.head + this.size) % this.capacity;
    this.frames[tail] = frame;
    this.channels[tail] = channel;
    this.seqs[tail] = seq;
    this.size += 1;
    return dropped;
  }

  private dropOldest(): void {
    const channel = this.channels[this.head] as C;
    const seq = this.seqs[this.head] as number;
    this.clearSlot(this.head);
    this.head = (this.head + 1) % this.capacity;
    this.size -= 1;
    this.droppedTotal += 1;
    const gap = this.gaps.get(channel);
    if (gap === undefined) this.gaps.set(channel, { from: seq, to: seq, dropped: 1 });
    else {
      gap.to = seq;
      gap.dropped += 1;
    }
  }

  private clearSlot(index: number): void {
    this.frames[index] = undefined;
    this.channels[index] = undefined;
  }

  /** The oldest frame without removing it. */
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
    this.clearSlot(this.head);
    this.head = (this.head + 1) % this.capacity;
    this.size -= 1;
  }

  /** Takes the recorded gaps (the caller sends them) and forgets them. */
  takeGaps(): [C, Gap][] {
    const gaps = [...this.gaps];
    this.gaps.clear();
    return gaps;
  }

  clear(): void {
    while (this.size > 0) this.shift();
    this.gaps.clear();
  }
}
