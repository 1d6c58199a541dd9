import { describe, expect, it } from 'vitest';
import { SCHEMAS, usesFlexibleHeaders, ApiKey } from '../../mock-systems/kafka/protocol/api-keys.ts';
import { decodeRequestHeader, encodeResponseFrame } from '../../mock-systems/kafka/protocol/header.ts';
import { MalformedRequestError, Reader } from '../../mock-systems/kafka/protocol/reader.ts';
import { decodeMessage, encodeMessage, field, message } from '../../mock-systems/kafka/protocol/schema.ts';
import { Writer } from '../../mock-systems/kafka/protocol/writer.ts';

const Sample = message('Sample', '0-3', '2+', [
  field('name', 'string', '0+'),
  field('count', 'int32', '1+', { default: -1 }),
  field('note', 'string', '2+', { nullable: '2+', default: null, tag: [0, '2+'] }),
  field('items', [field('id', 'int64', '0+'), field('label', 'string', '0+', { nullable: '0+' })], '0+', { nullable: '1+' }),
]);

describe('message schemas', () => {
  it('round-trips every version, leaving out what a version lacks', () => {
    const value = { name: 'orders', count: 7, note: 'hi', items: [{ id: 3, label: null }] };
    expect(decodeMessage(Sample, 0, new Reader(encodeMessage(Sample, 0, value)))).toEqual({ ...value, count: -1, note: null });
    expect(decodeMessage(Sample, 1, new Reader(encodeMessage(Sample, 1, value)))).toEqual({ ...value, note: null });
    expect(decodeMessage(Sample, 3, new Reader(encodeMessage(Sample, 3, value)))).toEqual(value);
  });

  it('writes flexible versions with compact lengths and a tagged-field section', () => {
    const bytes = encodeMessage(Sample, 2, { name: 'ab', count: 1, note: null, items: null });
    // compact "ab" (3, a, b), int32 1, compact null array (0), no tagged fields (0)
    expect([...bytes]).toEqual([3, 0x61, 0x62, 0, 0, 0, 1, 0, 0]);
  });

  it('skips tagged fields it does not know, as newer clients may send them', () => {
    // name, count, an empty compact array, then two tags: 2 (unknown, skipped) and 0 (note).
    const body = new Writer().compactNullableString('x').int32(5).unsignedVarInt(1).unsignedVarInt(2);
    body.unsignedVarInt(0).unsignedVarInt(3).compactNullableString('ok');
    body.unsignedVarInt(2).unsignedVarInt(3).raw(Buffer.from([9, 9, 9]));
    expect(decodeMessage(Sample, 2, new Reader(body.toBuffer()))).toEqual({ name: 'x', count: 5, note: 'ok', items: [] });
  });

  it('refuses a null where the version does not allow one', () => {
    const body = new Writer().string('x').int32(-1).toBuffer();
    expect(() => decodeMessage(Sample, 0, new Reader(body))).toThrow(MalformedRequestError);
  });

  it('gives every implemented API a request and a response over the same versions', () => {
    for (const { request, response } of SCHEMAS.values()) {
      expect(response.versions, request.name).toEqual(request.versions);
      expect(response.flexible, request.name).toEqual(request.flexible);
    }
  });
});

describe('headers of flexible versions', () => {
  it('reads request header v2 (tagged fields after the client id)', () => {
    expect(usesFlexibleHeaders(ApiKey.Metadata, 12)).toBe(true);
    const frame = new Writer().int16(ApiKey.Metadata).int16(12).int32(42).nullableString('client').unsignedVarInt(0).int8(77).toBuffer();
    const reader = new Reader(frame);
    expect(decodeRequestHeader(reader)).toEqual({ apiKey: ApiKey.Metadata, apiVersion: 12, correlationId: 42, clientId: 'client' });
    expect(reader.readInt8()).toBe(77);
  });

  it('answers with response header v1, except ApiVersions which keeps v0 so any client can read it', () => {
    const body = Buffer.from([1, 2]);
    expect([...encodeResponseFrame({ apiKey: ApiKey.Metadata, apiVersion: 12, correlationId: 1 }, body)]).toEqual([0, 0, 0, 7, 0, 0, 0, 1, 0, 1, 2]);
    expect([...encodeResponseFrame({ apiKey: ApiKey.ApiVersions, apiVersion: 3, correlationId: 1 }, body)]).toEqual([0, 0, 0, 6, 0, 0, 0, 1, 1, 2]);
    expect([...encodeResponseFrame({ apiKey: ApiKey.Metadata, apiVersion: 8, correlationId: 1 }, body)]).toEqual([0, 0, 0, 6, 0, 0, 0, 1, 1, 2]);
  });
});
