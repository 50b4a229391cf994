import { describe, expect, it } from '@jest/globals';
import { ClientQueue } from '../../src/index.js';

const frame = (n: number): Buffer => Buffer.from(String(n));

describe('ClientQueue', () => {
  it('push should keep at most `capacity` frames, dropping the oldest', () => {
    const queue = new ClientQueue<string>(3);
    const dropped = [1, 2, 3, 4, 5].map((n) => queue.push(frame(n), 'a', n));
    expect(dropped).toEqual([false, false, false, true, true]);
    expect(queue.length).toBe(3);
    const left: number[] = [];
    while (queue.length > 0) {
      left.push(queue.peek()?.seq ?? -1);
      queue.shift();
    }
    expect(left).toEqual([3, 4, 5]);
  });

  it('should record dropped frames as one contiguous gap per channel', () => {
    const queue = new ClientQueue<string>(2);
    queue.push(frame(1), 'a', 1);
    queue.push(frame(1), 'b', 1);
    queue.push(frame(2), 'a', 2); // drops a#1
    queue.push(frame(2), 'b', 2); // drops b#1
    queue.push(frame(3), 'a', 3); // drops a#2
    expect(queue.takeGaps()).toEqual([
      ['a', { from: 1, to: 2, dropped: 2 }],
      ['b', { from: 1, to: 1, dropped: 1 }],
    ]);
    expect(queue.takeGaps()).toEqual([]);
    expect(queue.droppedTotal).toBe(3);
  });

  it('clear should release every frame', () => {
    const queue = new ClientQueue<string>(4);
    queue.push(frame(1), 'a', 1);
    queue.clear();
    expect(queue.length).toBe(0);
    expect(queue.peek()).toBeUndefined();
  });

  it('push should keep at most `maxBytes` of data, dropping the oldest, and a frame larger than all of it at once', () => {
    const queue = new ClientQueue<string>(100, 10);
    queue.push(Buffer.alloc(4), 'a', 1);
    queue.push(Buffer.alloc(4), 'a', 2);
    expect(queue.push(Buffer.alloc(4), 'a', 3)).toBe(true); // 12 > 10: a#1 goes
    expect(queue.bytes).toBe(8);
    expect(queue.push(Buffer.alloc(11), 'b', 1)).toBe(true); // can never fit
    expect(queue.takeGaps()).toEqual([
      ['a', { from: 1, to: 3, dropped: 3 }],
      ['b', { from: 1, to: 1, dropped: 1 }],
    ]);
    expect(queue.length).toBe(0);
    expect(queue.bytes).toBe(0);
  });

  it('pushControl should drop data to make room, and refuse (never drop) answers over its bounds', () => {
    const queue = new ClientQueue<string>(100, 20, 2);
    queue.push(Buffer.alloc(8), 'a', 1);
    queue.push(Buffer.alloc(8), 'a', 2);
    expect(queue.pushControl({ kind: 'text', frame: Buffer.alloc(10) })).toBe(true);
    expect(queue.length).toBe(1); // a#1 made room
    expect(queue.bytes).toBe(18);
    expect(queue.pushControl({ kind: 'pong', data: Buffer.alloc(0) })).toBe(true);
    expect(queue.pushControl({ kind: 'pong', data: Buffer.alloc(0) })).toBe(false); // 2 waiting
    expect(queue.shiftControl()).toMatchObject({ kind: 'text' });
    expect(queue.pushControl({ kind: 'text', frame: Buffer.alloc(21) })).toBe(false); // > maxBytes
    expect(queue.controlLength).toBe(1);
    queue.clear();
    expect([queue.length, queue.controlLength, queue.bytes]).toEqual([0, 0, 0]);
  });
});
