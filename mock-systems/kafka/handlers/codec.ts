import type { RequestContext } from '../broker-state.ts';
import { SCHEMAS } from '../protocol/api-keys.ts';
import type { Reader } from '../protocol/reader.ts';
import { decodeMessage, encodeMessage, encodeMessageChunks } from '../protocol/schema.ts';

function schemasOf(context: RequestContext) {
  const schemas = SCHEMAS.get(context.header.apiKey);
  if (!schemas) throw new Error(`no schema for API key ${context.header.apiKey}`);
  return schemas;
}

/** The request body, read at the version of its header. */
export function readRequest<T>(body: Reader, context: RequestContext): T {
  return decodeMessage<T>(schemasOf(context).request, context.header.apiVersion, body);
}

/** The response body, written at the version the request asked for. */
export function writeResponse(context: RequestContext, value: object): Buffer {
  return encodeMessage(schemasOf(context).response, context.header.apiVersion, value);
}

/** The response body as chunks: `records` given as arrays of stored batches are sent by reference. */
export function writeResponseChunks(context: RequestContext, value: object): Buffer[] {
  return encodeMessageChunks(schemasOf(context).response, context.header.apiVersion, value);
}
