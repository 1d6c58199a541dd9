import { field, message } from '../schema.ts';

/**
 * Fetch v4–v12. v4 is the first that returns RecordBatch v2 untouched; from v10 librdkafka
 * accepts zstd batches; v12 is flexible and the last that names topics (v13 uses topic ids).
 * Incremental fetch sessions (v7+) are declined by answering session id 0, which KIP-227
 * allows: every fetch is then a full one.
 */
export const FetchRequest = message('FetchRequest', '4-12', '12+', [
  field('clusterId', 'string', '12+', { nullable: '12+', default: null, tag: [0, '12+'] }),
  field('replicaId', 'int32', '0+', { default: -1 }),
  field('maxWaitMs', 'int32', '0+'),
  field('minBytes', 'int32', '0+'),
  field('maxBytes', 'int32', '3+', { default: 0x7fffffff }),
  field('isolationLevel', 'int8', '4+'),
  field('sessionId', 'int32', '7+'),
  field('sessionEpoch', 'int32', '7+', { default: -1 }),
  field(
    'topics',
    [
      field('topic', 'string', '0+'),
      field(
        'partitions',
        [
          field('partition', 'int32', '0+'),
          field('currentLeaderEpoch', 'int32', '9+', { default: -1 }),
          field('fetchOffset', 'int64', '0+'),
          field('lastFetchedEpoch', 'int32', '12+', { default: -1 }),
          field('logStartOffset', 'int64', '5+', { default: -1 }),
          field('partitionMaxBytes', 'int32', '0+'),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
  field('forgottenTopicsData', [field('topic', 'string', '7+'), field('partitions', '[]int32', '7+')], '7+'),
  field('rackId', 'string', '11+'),
]);

export interface FetchRequestData {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  topics: { topic: string; partitions: { partition: number; fetchOffset: number; partitionMaxBytes: number }[] }[];
}

export const FetchResponse = message('FetchResponse', '4-12', '12+', [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16', '7+'),
  field('sessionId', 'int32', '7+'),
  field(
    'responses',
    [
      field('topic', 'string', '0+'),
      field(
        'partitions',
        [
          field('partitionIndex', 'int32', '0+'),
          field('errorCode', 'int16', '0+'),
          field('highWatermark', 'int64', '0+'),
          field('lastStableOffset', 'int64', '4+', { default: -1 }),
          field('logStartOffset', 'int64', '5+', { default: -1 }),
          field('abortedTransactions', [field('producerId', 'int64', '4+'), field('firstOffset', 'int64', '4+')], '4+', { nullable: '4+' }),
          field('preferredReadReplica', 'int32', '11+', { default: -1 }),
          field('records', 'records', '0+', { nullable: '0+' }),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
]);

export interface FetchPartitionResult {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  abortedTransactions: [];
  /** The stored batches themselves (written by reference), or a buffer. */
  records: Buffer | readonly Buffer[] | null;
  /** Bytes of records, counted against min_bytes and max_bytes. */
  size: number;
}
