import { MalformedRequestError, Reader } from './reader.ts';
import { Writer } from './writer.ts';

/**
 * Kafka describes every request and response as a versioned message schema: each field says in
 * which versions it exists, in which it may be null, and in which it travels as a tagged field.
 * Flexible versions (KIP-482) use compact lengths and end every struct with tagged fields. One
 * interpreter for those schemas means every version of every API is read and written the same
 * way, and a new version is a line in a schema rather than another hand-written codec.
 */

export type Primitive = 'int8' | 'int16' | 'uint16' | 'int32' | 'int64' | 'float64' | 'bool' | 'string' | 'bytes' | 'records' | 'uuid';

/** Versions as Kafka's schemas write them: "0+", "3-5", "2", "none". */
export interface VersionSet {
  min: number;
  max: number;
}

export interface Field {
  /** The property name in decoded objects (Kafka's field name in camelCase). */
  name: string;
  /** A primitive, or the fields of a struct. */
  type: Primitive | Field[];
  array: boolean;
  versions: VersionSet;
  nullable: VersionSet;
  tag?: { id: number; versions: VersionSet };
  default?: unknown;
}

export interface MessageSchema {
  name: string;
  versions: VersionSet;
  flexible: VersionSet;
  fields: Field[];
}

export function versions(spec: string): VersionSet {
  if (spec === 'none') return { min: 1, max: 0 };
  const plus = /^(\d+)\+$/.exec(spec);
  if (plus) return { min: Number(plus[1]), max: Number.POSITIVE_INFINITY };
  const range = /^(\d+)(?:-(\d+))?$/.exec(spec);
  if (!range) throw new Error(`bad version spec '${spec}'`);
  return { min: Number(range[1]), max: Number(range[2] ?? range[1]) };
}

export function inVersions(set: VersionSet, version: number): boolean {
  return version >= set.min && version <= set.max;
}

export interface FieldOptions {
  nullable?: string;
  /** Tag id and the versions in which the field is tagged (it exists only as a tag there). */
  tag?: [id: number, versions: string];
  default?: unknown;
}

/**
 * One field: `type` is a primitive ("int32"), an array of one ("[]int32"), or the fields of
 * the structs of an array.
 */
export function field(name: string, type: Primitive | `[]${Primitive}` | Field[], spec: string, options: FieldOptions = {}): Field {
  const isScalarArray = typeof type === 'string' && type.startsWith('[]');
  return {
    name,
    type: isScalarArray ? (type.slice(2) as Primitive) : (type as Primitive | Field[]),
    array: isScalarArray || Array.isArray(type),
    versions: versions(spec),
    nullable: versions(options.nullable ?? 'none'),
    ...(options.tag ? { tag: { id: options.tag[0], versions: versions(options.tag[1]) } } : {}),
    ...('default' in options ? { default: options.default } : {}),
  };
}

export function message(name: string, valid: string, flexible: string, fields: Field[]): MessageSchema {
  return { name, versions: versions(valid), flexible: versions(flexible), fields };
}

export function isFlexible(schema: MessageSchema, version: number): boolean {
  return inVersions(schema.flexible, version);
}

/** Reads a message body of `version`. Fields the version lacks get their defaults. */
export function decodeMessage<T>(schema: MessageSchema, version: number, reader: Reader): T {
  return readStruct(schema.fields, version, isFlexible(schema, version), reader) as T;
}

/** Writes a message body of `version`; properties the version lacks are left out. */
export function encodeMessage(schema: MessageSchema, version: number, value: object, writer = new Writer()): Buffer {
  writeStruct(schema.fields, version, isFlexible(schema, version), value as Record<string, unknown>, writer);
  return writer.toBuffer();
}

/**
 * As encodeMessage, but as chunks: a `records` field given as an array of buffers (stored
 * batches) is written by reference, so a fetch response does not copy the log it serves.
 */
export function encodeMessageChunks(schema: MessageSchema, version: number, value: object): Buffer[] {
  const writer = new Writer();
  writeStruct(schema.fields, version, isFlexible(schema, version), value as Record<string, unknown>, writer);
  return writer.toChunks();
}

function isTaggedIn(f: Field, version: number, flexible: boolean): boolean {
  return flexible && f.tag !== undefined && inVersions(f.tag.versions, version);
}

function defaultOf(f: Field): unknown {
  if ('default' in f) return f.default;
  if (f.array) return [];
  if (Array.isArray(f.type)) return {};
  switch (f.type) {
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'bytes':
      return Buffer.alloc(0);
    case 'records':
      return null;
    case 'uuid':
      return Buffer.alloc(16);
    default:
      return 0;
  }
}

type Struct = Record<string, unknown>;

function readStruct(fields: Field[], version: number, flexible: boolean, reader: Reader): Struct {
  const out: Struct = {};
  for (const f of fields) {
    out[f.name] = defaultOf(f);
    if (!inVersions(f.versions, version) || isTaggedIn(f, version, flexible)) continue;
    out[f.name] = readValue(f, version, flexible, reader);
  }
  if (flexible) readTaggedFields(fields, version, reader, out);
  return out;
}

function readTaggedFields(fields: Field[], version: number, reader: Reader, out: Struct): void {
  const count = reader.readUnsignedVarInt();
  for (let i = 0; i < count; i++) {
    const id = reader.readUnsignedVarInt();
    const size = reader.readUnsignedVarInt();
    const data = reader.readRaw(size);
    // Unknown tags are skipped: that is what lets old brokers read newer clients' requests.
    const known = fields.find((f) => f.tag?.id === id && isTaggedIn(f, version, true));
    if (known) out[known.name] = readValue(known, version, true, new Reader(data));
  }
}

function readValue(f: Field, version: number, flexible: boolean, reader: Reader): unknown {
  const nullable = inVersions(f.nullable, version);
  if (f.array) {
    const readItem = (r: Reader) => (Array.isArray(f.type) ? readStruct(f.type, version, flexible, r) : readPrimitive(f.type, false, flexible, r));
    const items = flexible ? reader.readCompactNullableArray(readItem) : reader.readNullableArray(readItem);
    if (items === null && !nullable) throw new MalformedRequestError(`${f.name} is null where an array is required`);
    return items;
  }
  if (Array.isArray(f.type)) return readStruct(f.type, version, flexible, reader);
  return readPrimitive(f.type, nullable, flexible, reader);
}

function readPrimitive(type: Primitive, nullable: boolean, flexible: boolean, reader: Reader): unknown {
  switch (type) {
    case 'int8':
      return reader.readInt8();
    case 'int16':
      return reader.readInt16();
    case 'uint16':
      return reader.readUInt16();
    case 'int32':
      return reader.readInt32();
    case 'int64':
      return reader.readInt64();
    case 'float64':
      return reader.readFloat64();
    case 'bool':
      return reader.readBoolean();
    case 'uuid':
      return Buffer.from(reader.readUuid());
    case 'string': {
      const value = flexible ? reader.readCompactNullableString() : reader.readNullableString();
      if (value === null && !nullable) throw new MalformedRequestError('null where a string is required');
      return value;
    }
    case 'bytes':
    case 'records': {
      const value = flexible ? reader.readCompactNullableBytes() : reader.readNullableBytes();
      if (value === null && !nullable && type === 'bytes') throw new MalformedRequestError('null where bytes are required');
      return value === null ? null : Buffer.from(value);
    }
  }
}

function writeStruct(fields: Field[], version: number, flexible: boolean, value: Struct, writer: Writer): void {
  const tagged: Field[] = [];
  for (const f of fields) {
    if (!inVersions(f.versions, version)) continue;
    if (isTaggedIn(f, version, flexible)) {
      if (value[f.name] !== undefined && !sameAsDefault(value[f.name], defaultOf(f))) tagged.push(f);
      continue;
    }
    writeValue(f, version, flexible, value[f.name] === undefined ? defaultOf(f) : value[f.name], writer);
  }
  if (!flexible) return;
  tagged.sort((a, b) => a.tag!.id - b.tag!.id);
  writer.unsignedVarInt(tagged.length);
  for (const f of tagged) {
    const data = new Writer();
    writeValue(f, version, true, value[f.name], data);
    const bytes = data.toBuffer();
    writer.unsignedVarInt(f.tag!.id).unsignedVarInt(bytes.length).raw(bytes);
  }
}

function sameAsDefault(value: unknown, fallback: unknown): boolean {
  if (Array.isArray(value)) return Array.isArray(fallback) && value.length === 0 && fallback.length === 0;
  return value === fallback;
}

function writeValue(f: Field, version: number, flexible: boolean, value: unknown, writer: Writer): void {
  if (f.array) {
    const items = value as unknown[] | null;
    if (items === null) {
      if (flexible) writer.unsignedVarInt(0);
      else writer.int32(-1);
      return;
    }
    if (flexible) writer.unsignedVarInt(items.length + 1);
    else writer.int32(items.length);
    for (const item of items) {
      if (Array.isArray(f.type)) writeStruct(f.type, version, flexible, item as Struct, writer);
      else writePrimitive(f.type, flexible, item, writer);
    }
    return;
  }
  if (Array.isArray(f.type)) writeStruct(f.type, version, flexible, (value ?? {}) as Struct, writer);
  else writePrimitive(f.type, flexible, value, writer);
}

function writePrimitive(type: Primitive, flexible: boolean, value: unknown, writer: Writer): void {
  switch (type) {
    case 'int8':
      writer.int8(value as number);
      return;
    case 'int16':
      writer.int16(value as number);
      return;
    case 'uint16':
      writer.uint16(value as number);
      return;
    case 'int32':
      writer.int32(value as number);
      return;
    case 'int64':
      writer.int64(value as number);
      return;
    case 'float64':
      writer.float64(value as number);
      return;
    case 'bool':
      writer.boolean(value as boolean);
      return;
    case 'uuid':
      writer.raw(value as Buffer);
      return;
    case 'string':
      if (flexible) writer.compactNullableString(value as string | null);
      else writer.nullableString(value as string | null);
      return;
    case 'records':
      if (Array.isArray(value)) {
        writeRecordsByReference(value as readonly Buffer[], flexible, writer);
        return;
      }
      if (flexible) writer.compactNullableBytes(value as Buffer | null);
      else writer.nullableBytes(value as Buffer | null);
      return;
    case 'bytes':
      if (flexible) writer.compactNullableBytes(value as Buffer | null);
      else writer.nullableBytes(value as Buffer | null);
      return;
  }
}

/** Record batches laid end to end, as one records field, without copying them. */
function writeRecordsByReference(batches: readonly Buffer[], flexible: boolean, writer: Writer): void {
  const size = batches.reduce((sum, batch) => sum + batch.length, 0);
  if (flexible) writer.unsignedVarInt(size + 1);
  else writer.int32(size);
  for (const batch of batches) writer.reference(batch);
}
