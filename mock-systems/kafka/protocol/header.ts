import { usesFlexibleHeaders, ApiKey } from './api-keys.ts';
import { Reader } from './reader.ts';
import { Writer } from './writer.ts';

/** Request header v1, or v2 for flexible versions (v1 plus tagged fields). */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

export function decodeRequestHeader(reader: Reader): RequestHeader {
  const header = {
    apiKey: reader.readInt16(),
    apiVersion: reader.readInt16(),
    correlationId: reader.readInt32(),
    // The client id stays a classic nullable string even in header v2.
    clientId: reader.readNullableString(),
  };
  if (usesFlexibleHeaders(header.apiKey, header.apiVersion)) skipTaggedFields(reader);
  return header;
}

function skipTaggedFields(reader: Reader): void {
  const count = reader.readUnsignedVarInt();
  for (let i = 0; i < count; i++) {
    reader.readUnsignedVarInt();
    reader.readRaw(reader.readUnsignedVarInt());
  }
}

/**
 * A whole response frame: size, response header (v0: correlation id; v1 adds an empty tagged
 * field section for flexible versions), body. ApiVersions always answers with header v0 so
 * that a client can read it whatever version it asked for.
 */
export function encodeResponseFrame(header: Pick<RequestHeader, 'apiKey' | 'apiVersion' | 'correlationId'>, body: Buffer): Buffer {
  return Buffer.concat(encodeResponseFrameChunks(header, [body]));
}

/** The same frame as chunks: the body's chunks (referenced record batches) are not copied. */
export function encodeResponseFrameChunks(header: Pick<RequestHeader, 'apiKey' | 'apiVersion' | 'correlationId'>, body: readonly Buffer[]): Buffer[] {
  const flexible = header.apiKey !== ApiKey.ApiVersions && usesFlexibleHeaders(header.apiKey, header.apiVersion);
  const bodyLength = body.reduce((sum, chunk) => sum + chunk.length, 0);
  const head = new Writer(9);
  head.int32(4 + (flexible ? 1 : 0) + bodyLength).int32(header.correlationId);
  if (flexible) head.unsignedVarInt(0);
  return [head.toBuffer(), ...body];
}
