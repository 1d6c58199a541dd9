import { field, message } from '../schema.ts';

/** OffsetCommit v0–v8: v1 adds the generation, v2–v4 a retention time, v8 is flexible. */
export const OffsetCommitRequest = message('OffsetCommitRequest', '0-8', '8+', [
  field('groupId', 'string', '0+'),
  field('generationId', 'int32', '1+', { default: -1 }),
  field('memberId', 'string', '1+'),
  field('groupInstanceId', 'string', '7+', { nullable: '7+', default: null }),
  field('retentionTimeMs', 'int64', '2-4', { default: -1 }),
  field(
    'topics',
    [
      field('name', 'string', '0+'),
      field(
        'partitions',
        [
          field('partitionIndex', 'int32', '0+'),
          field('committedOffset', 'int64', '0+'),
          field('committedLeaderEpoch', 'int32', '6+', { default: -1 }),
          field('commitTimestamp', 'int64', '1', { default: -1 }),
          field('committedMetadata', 'string', '0+', { nullable: '0+' }),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
]);

export interface OffsetCommitRequestData {
  groupId: string;
  generationId: number;
  memberId: string;
  topics: { name: string; partitions: { partitionIndex: number; committedOffset: number; committedMetadata: string | null }[] }[];
}

export const OffsetCommitResponse = message('OffsetCommitResponse', '0-8', '8+', [
  field('throttleTimeMs', 'int32', '3+'),
  field('topics', [field('name', 'string', '0+'), field('partitions', [field('partitionIndex', 'int32', '0+'), field('errorCode', 'int16', '0+')], '0+')], '0+'),
]);

/** OffsetFetch v0–v7 (one group per request); from v2 null topics asks for every committed offset. */
export const OffsetFetchRequest = message('OffsetFetchRequest', '0-7', '6+', [
  field('groupId', 'string', '0+'),
  field('topics', [field('name', 'string', '0+'), field('partitionIndexes', '[]int32', '0+')], '0+', { nullable: '2+' }),
  field('requireStable', 'bool', '7+'),
]);

export interface OffsetFetchRequestData {
  groupId: string;
  topics: { name: string; partitionIndexes: number[] }[] | null;
}

export const OffsetFetchResponse = message('OffsetFetchResponse', '0-7', '6+', [
  field('throttleTimeMs', 'int32', '3+'),
  field(
    'topics',
    [
      field('name', 'string', '0+'),
      field(
        'partitions',
        [
          field('partitionIndex', 'int32', '0+'),
          field('committedOffset', 'int64', '0+'),
          field('committedLeaderEpoch', 'int32', '5+', { default: -1 }),
          field('metadata', 'string', '0+', { nullable: '0+' }),
          field('errorCode', 'int16', '0+'),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
  field('errorCode', 'int16', '2+'),
]);
