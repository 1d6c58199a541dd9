/**
 * Thrown when a request body does not match the layout its API key and version promise.
 * The server answers it by closing that one connection, as Apache Kafka does.
 */
export class MalformedRequestError extends Error {
  override readonly name = 'MalformedRequestError';
}

/** Reads big-endian Kafka primitives from one buffer, refusing to read past its end. */
export class Reader {
  private position = 0;

  constructor(private readonly buffer: Buffer) {}

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return this.buffer.length - this.position;
  }

  private take(size: number): number {
    if (size < 0 || this.position + size > this.buffer.length) {
      throw new MalformedRequestError(
        `needed ${size} bytes at offset ${this.position}, only ${this.remaining} left`,
      );
    }
    const at = this.position;
    this.position += size;
    return at;
  }

  readInt8(): number {
    return this.buffer.readInt8(this.take(1));
  }

  readBoolean(): boolean {
    return this.readInt8() !== 0;
  }

  readInt16(): number {
    return this.buffer.readInt16BE(this.take(2));
  }

  readInt32(): number {
    return this.buffer.readInt32BE(this.take(4));
  }

  readUInt32(): number {
    return this.buffer.readUInt32BE(this.take(4));
  }

  /** Offsets, timestamps and producer ids all fit a double exactly in practice. */
  readInt64(): number {
    return Number(this.buffer.readBigInt64BE(this.take(8)));
  }

  readNullableString(): string | null {
    const length = this.readInt16();
    if (length === -1) return null;
    if (length < -1) throw new MalformedRequestError(`negative string length ${length}`);
    const at = this.take(length);
    return this.buffer.toString('utf8', at, at + length);
  }

  readString(): string {
    const value = this.readNullableString();
    if (value === null) throw new MalformedRequestError('null where a string is required');
    return value;
  }

  readNullableBytes(): Buffer | null {
    const length = this.readInt32();
    if (length === -1) return null;
    if (length < -1) throw new MalformedRequestError(`negative bytes length ${length}`);
    const at = this.take(length);
    return this.buffer.subarray(at, at + length);
  }

  readBytes(): Buffer {
    return this.readNullableBytes() ?? Buffer.alloc(0);
  }

  readRaw(size: number): Buffer {
    const at = this.take(size);
    return this.buffer.subarray(at, at + size);
  }

  readNullableArray<T>(readItem: (reader: Reader) => T): T[] | null {
    const count = this.readInt32();
    if (count === -1) return null;
    // Each item takes at least one byte, so a count beyond what is left is a lie.
    if (count < -1 || count > this.remaining) {
      throw new MalformedRequestError(`array count ${count} with ${this.remaining} bytes left`);
    }
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(readItem(this));
    return items;
  }

  readArray<T>(readItem: (reader: Reader) => T): T[] {
    return this.readNullableArray(readItem) ?? [];
  }

  /** Zigzag varint as used inside records. */
  readVarInt(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (shift > 28) throw new MalformedRequestError('varint longer than 5 bytes');
      const byte = this.buffer.readUInt8(this.take(1));
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
    }
    return (value >>> 1) ^ -(value & 1);
  }

  /** Zigzag varlong; timestamp deltas need more than 32 bits. */
  readVarLong(): number {
    let value = 0n;
    let shift = 0n;
    for (;;) {
      if (shift > 63n) throw new MalformedRequestError('varlong longer than 10 bytes');
      const byte = this.buffer.readUInt8(this.take(1));
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7n;
    }
    return Number((value >> 1n) ^ -(value & 1n));
  }

  /** A varint-length-prefixed byte string inside a record; -1 means null. */
  readVarBytes(): Buffer | null {
    const length = this.readVarInt();
    if (length === -1) return null;
    if (length < -1) throw new MalformedRequestError(`negative record field length ${length}`);
    return this.readRaw(length);
  }

  readUnsignedVarInt(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (shift > 28) throw new MalformedRequestError('unsigned varint longer than 5 bytes');
      const byte = this.buffer.readUInt8(this.take(1));
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  }

  readUInt16(): number {
    return this.buffer.readUInt16BE(this.take(2));
  }

  readFloat64(): number {
    return this.buffer.readDoubleBE(this.take(8));
  }

  readUuid(): Buffer {
    return this.readRaw(16);
  }

  /** Compact (flexible-version) lengths are stored plus one, so 0 means null. */
  readCompactLength(what: string): number {
    const stored = this.readUnsignedVarInt();
    if (stored - 1 > this.remaining) {
      throw new MalformedRequestError(`${what} length ${stored - 1} with ${this.remaining} bytes left`);
    }
    return stored - 1;
  }

  readCompactNullableString(): string | null {
    const length = this.readCompactLength('compact string');
    if (length === -1) return null;
    const at = this.take(length);
    return this.buffer.toString('utf8', at, at + length);
  }

  readCompactNullableBytes(): Buffer | null {
    const length = this.readCompactLength('compact bytes');
    if (length === -1) return null;
    return this.readRaw(length);
  }

  readCompactNullableArray<T>(readItem: (reader: Reader) => T): T[] | null {
    const count = this.readCompactLength('compact array');
    if (count === -1) return null;
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(readItem(this));
    return items;
  }

  expectEnd(what: string): void {
    if (this.remaining !== 0) {
      throw new MalformedRequestError(`${this.remaining} unexpected trailing bytes after ${what}`);
    }
  }
}
