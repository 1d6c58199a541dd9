import { field, message } from '../schema.ts';

/** ListOffsets v0–v6. Timestamp -1 asks for the latest offset, -2 for the earliest. */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

export const ListOffsetsRequest = message('ListOffsetsRequest', '0-6', '6+', [
  field('replicaId', 'int32', '0+'),
  field('isolationLevel', 'int8', '2+'),
  field(
    'topics',
    [
      field('name', 'string', '0+'),
      field(
        'partitions',
        [
          field('partitionIndex', 'int32', '0+'),
          field('currentLeaderEpoch', 'int32', '4+', { default: -1 }),
          field('timestamp', 'int64', '0+'),
          field('maxNumOffsets', 'int32', '0', { default: 1 }),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
]);

export interface ListOffsetsRequestData {
  replicaId: number;
  topics: { name: string; partitions: { partitionIndex: number; timestamp: number; maxNumOffsets: number }[] }[];
}

export const ListOffsetsResponse = message('ListOffsetsResponse', '0-6', '6+', [
  field('throttleTimeMs', 'int32', '2+'),
  field(
    'topics',
    [
      field('name', 'string', '0+'),
      field(
        'partitions',
        [
          field('partitionIndex', 'int32', '0+'),
          field('errorCode', 'int16', '0+'),
          // v0 answers with a list of offsets instead of one offset and its timestamp.
          field('oldStyleOffsets', '[]int64', '0'),
          field('timestamp', 'int64', '1+', { default: -1 }),
          field('offset', 'int64', '1+', { default: -1 }),
          field('leaderEpoch', 'int32', '4+', { default: -1 }),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
]);
