import { Reader } from './reader.ts';
import { Writer } from './writer.ts';

/** Request header v1: every API version this broker speaks is non-flexible. */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

export function decodeRequestHeader(reader: Reader): RequestHeader {
  return {
    apiKey: reader.readInt16(),
    apiVersion: reader.readInt16(),
    correlationId: reader.readInt32(),
    clientId: reader.readNullableString(),
  };
}

/** A whole response frame: size, response header v0 (correlation id), body. */
export function encodeResponseFrame(correlationId: number, body: Buffer): Buffer {
  const frame = new Writer(8 + body.length);
  frame.int32(4 + body.length).int32(correlationId).raw(body);
  return frame.toBuffer();
}
