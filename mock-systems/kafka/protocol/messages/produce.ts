import { field, message } from '../schema.ts';

/**
 * Produce v3–v9: v3 is the first to carry RecordBatch v2 (the only format this broker
 * stores); from v7 librdkafka keeps zstd batches compressed; v9 is flexible.
 */
export const ProduceRequest = message('ProduceRequest', '3-9', '9+', [
  field('transactionalId', 'string', '3+', { nullable: '3+', default: null }),
  field('acks', 'int16', '0+'),
  field('timeoutMs', 'int32', '0+'),
  field('topicData', [field('name', 'string', '0+'), field('partitionData', [field('index', 'int32', '0+'), field('records', 'records', '0+', { nullable: '0+' })], '0+')], '0+'),
]);

export interface ProduceRequestData {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topicData: { name: string; partitionData: { index: number; records: Buffer | null }[] }[];
}

export const ProduceResponse = message('ProduceResponse', '3-9', '9+', [
  field(
    'responses',
    [
      field('name', 'string', '0+'),
      field(
        'partitionResponses',
        [
          field('index', 'int32', '0+'),
          field('errorCode', 'int16', '0+'),
          field('baseOffset', 'int64', '0+'),
          field('logAppendTimeMs', 'int64', '2+', { default: -1 }),
          field('logStartOffset', 'int64', '5+', { default: -1 }),
          field('recordErrors', [field('batchIndex', 'int32', '8+'), field('batchIndexErrorMessage', 'string', '8+', { nullable: '8+' })], '8+'),
          field('errorMessage', 'string', '8+', { nullable: '8+', default: null }),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
  field('throttleTimeMs', 'int32', '1+'),
]);

export interface ProducePartitionResult {
  index: number;
  errorCode: number;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
}
