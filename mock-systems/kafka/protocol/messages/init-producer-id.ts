import type { Reader } from '../reader.ts';
import { Writer } from '../writer.ts';

/** InitProducerId v0. */
export function decodeInitProducerIdRequest(reader: Reader): { transactionalId: string | null; transactionTimeoutMs: number } {
  const request = { transactionalId: reader.readNullableString(), transactionTimeoutMs: reader.readInt32() };
  reader.expectEnd('InitProducerId request');
  return request;
}

export function encodeInitProducerIdResponse(errorCode: number, producerId: number, producerEpoch: number): Buffer {
  return new Writer().int32(0).int16(errorCode).int64(producerId).int16(producerEpoch).toBuffer();
}
