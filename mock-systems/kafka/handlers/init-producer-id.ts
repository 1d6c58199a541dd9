import type { BrokerState, RequestContext } from '../broker-state.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { Reader } from '../protocol/reader.ts';
import { readRequest, writeResponse } from './codec.ts';

export function handleInitProducerId(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<{ transactionalId: string | null }>(body, context);
  // Only idempotence: a transactional id would promise transactions this broker does not have.
  if (request.transactionalId !== null) {
    return writeResponse(context, { errorCode: ErrorCode.INVALID_REQUEST, producerId: -1, producerEpoch: -1 });
  }
  const { producerId, producerEpoch } = broker.producers.allocateProducerId();
  return writeResponse(context, { errorCode: ErrorCode.NONE, producerId, producerEpoch });
}
