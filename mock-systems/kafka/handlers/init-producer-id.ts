import type { BrokerState, RequestContext } from '../broker-state.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { decodeInitProducerIdRequest, encodeInitProducerIdResponse } from '../protocol/messages/init-producer-id.ts';
import type { Reader } from '../protocol/reader.ts';

export function handleInitProducerId(body: Reader, _context: RequestContext, broker: BrokerState): Buffer {
  const request = decodeInitProducerIdRequest(body);
  // Only idempotence: a transactional id would promise transactions this broker does not have.
  if (request.transactionalId !== null) return encodeInitProducerIdResponse(ErrorCode.INVALID_REQUEST, -1, -1);
  const { producerId, producerEpoch } = broker.producers.allocateProducerId();
  return encodeInitProducerIdResponse(ErrorCode.NONE, producerId, producerEpoch);
}
