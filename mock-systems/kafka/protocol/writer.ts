/**
 * Below this size a buffer is copied even when the caller offers it by reference: a few small
 * copies are cheaper than a long list of chunks.
 */
const MIN_REFERENCED_BYTES = 1024;

/**
 * Builds a big-endian Kafka message in a buffer that grows as needed. Large immutable payloads
 * (stored record batches) can be appended by reference; the message is then a list of chunks
 * that a socket writes without the payloads ever being copied (see `reference`, `toChunks`).
 */
export class Writer {
  private buffer: Buffer;
  /** Where the bytes not yet sealed into `chunks` start in `buffer`. */
  private start = 0;
  private length = 0;
  private readonly chunks: Buffer[] = [];
  private chunkBytes = 0;

  constructor(initialSize = 256) {
    this.buffer = Buffer.allocUnsafe(initialSize);
  }

  private reserve(size: number): number {
    if (this.length + size > this.buffer.length) {
      const used = this.length - this.start;
      const grown = Buffer.allocUnsafe(Math.max(used + size, this.buffer.length * 2));
      this.buffer.copy(grown, 0, this.start, this.length);
      this.buffer = grown;
      this.start = 0;
      this.length = used;
    }
    const at = this.length;
    this.length += size;
    return at;
  }

  get size(): number {
    return this.chunkBytes + this.length - this.start;
  }

  int8(value: number): this {
    const at = this.reserve(1);
    this.buffer.writeInt8(value, at);
    return this;
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  int16(value: number): this {
    const at = this.reserve(2);
    this.buffer.writeInt16BE(value, at);
    return this;
  }

  int32(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeInt32BE(value, at);
    return this;
  }

  uint32(value: number): this {
    const at = this.reserve(4);
    this.buffer.writeUInt32BE(value, at);
    return this;
  }

  int64(value: number | bigint): this {
    const at = this.reserve(8);
    this.buffer.writeBigInt64BE(BigInt(value), at);
    return this;
  }

  nullableString(value: string | null): this {
    if (value === null) return this.int16(-1);
    const bytes = Buffer.from(value, 'utf8');
    this.int16(bytes.length);
    return this.raw(bytes);
  }

  string(value: string): this {
    return this.nullableString(value);
  }

  nullableBytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1);
    this.int32(value.length);
    return this.raw(value);
  }

  bytes(value: Buffer): this {
    return this.nullableBytes(value);
  }

  raw(value: Buffer): this {
    const at = this.reserve(value.length);
    value.copy(this.buffer, at);
    return this;
  }

  array<T>(items: readonly T[], writeItem: (writer: this, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  varInt(value: number): this {
    let zigzag = ((value << 1) ^ (value >> 31)) >>> 0;
    while (zigzag > 0x7f) {
      const at = this.reserve(1);
      this.buffer.writeUInt8((zigzag & 0x7f) | 0x80, at);
      zigzag >>>= 7;
    }
    const at = this.reserve(1);
    this.buffer.writeUInt8(zigzag, at);
    return this;
  }

  varLong(value: number): this {
    const big = BigInt(value);
    let zigzag = BigInt.asUintN(64, (big << 1n) ^ (big >> 63n));
    while (zigzag > 0x7fn) {
      const at = this.reserve(1);
      this.buffer.writeUInt8(Number(zigzag & 0x7fn) | 0x80, at);
      zigzag >>= 7n;
    }
    const at = this.reserve(1);
    this.buffer.writeUInt8(Number(zigzag), at);
    return this;
  }

  varBytes(value: Buffer | null): this {
    if (value === null) return this.varInt(-1);
    this.varInt(value.length);
    return this.raw(value);
  }

  unsignedVarInt(value: number): this {
    let rest = value >>> 0;
    while (rest > 0x7f) {
      const at = this.reserve(1);
      this.buffer.writeUInt8((rest & 0x7f) | 0x80, at);
      rest >>>= 7;
    }
    const at = this.reserve(1);
    this.buffer.writeUInt8(rest, at);
    return this;
  }

  uint16(value: number): this {
    const at = this.reserve(2);
    this.buffer.writeUInt16BE(value, at);
    return this;
  }

  float64(value: number): this {
    const at = this.reserve(8);
    this.buffer.writeDoubleBE(value, at);
    return this;
  }

  compactNullableString(value: string | null): this {
    if (value === null) return this.unsignedVarInt(0);
    const bytes = Buffer.from(value, 'utf8');
    this.unsignedVarInt(bytes.length + 1);
    return this.raw(bytes);
  }

  compactNullableBytes(value: Buffer | null): this {
    if (value === null) return this.unsignedVarInt(0);
    this.unsignedVarInt(value.length + 1);
    return this.raw(value);
  }

  /**
   * Appends `value` without copying it. The caller promises never to change it: it is sent as
   * it is when the socket gets to it.
   */
  reference(value: Buffer): this {
    if (value.length < MIN_REFERENCED_BYTES) return this.raw(value);
    this.seal();
    this.chunks.push(value);
    this.chunkBytes += value.length;
    return this;
  }

  /** The message as one buffer (referenced payloads are copied in). */
  toBuffer(): Buffer {
    if (this.chunks.length === 0) return this.buffer.subarray(this.start, this.length);
    return Buffer.concat(this.toChunks(), this.size);
  }

  /** The message as the chunks it was built from, referenced payloads uncopied. */
  toChunks(): Buffer[] {
    const tail = this.buffer.subarray(this.start, this.length);
    return tail.length > 0 ? [...this.chunks, tail] : [...this.chunks];
  }

  private seal(): void {
    if (this.length === this.start) return;
    const sealed = this.buffer.subarray(this.start, this.length);
    this.chunks.push(sealed);
    this.chunkBytes += sealed.length;
    // Later bytes go after the sealed ones in the same buffer, which is never written below `start` again.
    this.start = this.length;
  }
}
