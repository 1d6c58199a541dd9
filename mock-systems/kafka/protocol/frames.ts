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
    if (this.pendingBytes < 4) return [];
    const first = this.check(this.peek(4).readInt32BE(0));
    // Nothing is joined until a whole frame is there: a frame arriving in many reads costs one copy.
    if (this.pendingBytes < 4 + first) return [];

    const joined = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    const frames: Buffer[] = [];
    let at = 0;
    for (;;) {
      if (joined.length - at < 4) break;
      const size = this.check(joined.readInt32BE(at));
      if (joined.length - at < 4 + size) break;
      frames.push(joined.subarray(at + 4, at + 4 + size));
      at += 4 + size;
    }
    // The start of the next frame is copied out: as a view it would keep this whole read (or a
    // whole joined frame) alive for as long as the next frame stays incomplete.
    const rest = joined.subarray(at);
    this.pending = rest.length > 0 ? [Buffer.from(rest)] : [];
    this.pendingBytes = rest.length;
    return frames;
  }

  /** Bytes of a frame begun but not finished. */
  get buffered(): number {
    return this.pendingBytes;
  }

  private check(size: number): number {
    if (size < 0 || size > this.maxFrameBytes) {
      throw new FrameTooLargeError(`frame of ${size} bytes refused (limit ${this.maxFrameBytes} bytes)`);
    }
    return size;
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
}
