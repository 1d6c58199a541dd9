/**
 * Splits a TCP byte stream into Kafka frames (INT32 size + payload). Bytes arrive in any
 * chunking: half a frame, many frames, a size prefix split across reads.
 */
export class FrameTooLargeError extends Error {
  override readonly name = 'FrameTooLargeError';
}

export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Feeds a chunk; returns every frame it completes. Throws on a size that is negative or over the limit. */
  push(chunk: Buffer): Buffer[] {
    if (chunk.length > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
    }
    const frames: Buffer[] = [];
    for (;;) {
      if (this.pendingBytes < 4) break;
      const head = this.peek(4);
      const size = head.readInt32BE(0);
      if (size < 0 || size > this.maxFrameBytes) {
        throw new FrameTooLargeError(
          `frame of ${size} bytes refused (limit ${this.maxFrameBytes} bytes)`,
        );
      }
      if (this.pendingBytes < 4 + size) break;
      const whole = this.consume(4 + size);
      frames.push(whole.subarray(4));
    }
    return frames;
  }

  /** Bytes of a frame begun but not finished. */
  get buffered(): number {
    return this.pendingBytes;
  }

  /** The first `size` bytes, joining only as many chunks as they span (a client sending a byte at a time must not cost a copy of everything buffered). */
  private peek(size: number): Buffer {
    const first = this.pending[0]!;
    if (first.length >= size) return first.subarray(0, size);
    const head: Buffer[] = [];
    let length = 0;
    for (const chunk of this.pending) {
      head.push(chunk);
      length += chunk.length;
      if (length >= size) break;
    }
    const joined = Buffer.concat(head);
    // Later reads start from the joined chunks, so the work is done once.
    this.pending.splice(0, head.length, joined);
    return joined.subarray(0, size);
  }

  private consume(size: number): Buffer {
    const joined = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const taken = joined.subarray(0, size);
    const rest = joined.subarray(size);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return taken;
  }
}
