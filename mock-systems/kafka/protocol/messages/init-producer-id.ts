import { field, message } from '../schema.ts';

/** InitProducerId v0–v4; v3 lets a producer bump its own epoch by sending its id back. */
export const InitProducerIdRequest = message('InitProducerIdRequest', '0-4', '2+', [
  field('transactionalId', 'string', '0+', { nullable: '0+' }),
  field('transactionTimeoutMs', 'int32', '0+'),
  field('producerId', 'int64', '3+', { default: -1 }),
  field('producerEpoch', 'int16', '3+', { default: -1 }),
]);

export const InitProducerIdResponse = message('InitProducerIdResponse', '0-4', '2+', [
  field('throttleTimeMs', 'int32', '0+'),
  field('errorCode', 'int16', '0+'),
  field('producerId', 'int64', '0+', { default: -1 }),
  field('producerEpoch', 'int16', '0+'),
]);
