/**
 * A complete WebSocket text frame (RFC 6455 §5.2): FIN + opcode 1, the payload length, the UTF-8
 * payload. Server frames are never masked and the hub turns compression off, so this frame is the
 * same byte for byte for every client: it is built once per message and written as is to every
 * subscriber's socket, instead of letting `ws` frame (and copy) it once per client.
 */
export function encodeTextFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, header, 'utf8');
  return frame;
}

/** The payload of a frame built by `encodeTextFrame` (no copy). */
export function framePayload(frame: Buffer): Buffer {
  const marker = (frame[1] as number) & 0x7f;
  return frame.subarray(marker < 126 ? 2 : marker === 126 ? 4 : 10);
}
