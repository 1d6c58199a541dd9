import { field, message } from '../schema.ts';

/** CreateTopics v0–v7: v4 lets -1 mean the broker's defaults, v5 (flexible) answers with what was made. */
export const CreateTopicsRequest = message('CreateTopicsRequest', '0-7', '5+', [
  field(
    'topics',
    [
      field('name', 'string', '0+'),
      field('numPartitions', 'int32', '0+'),
      field('replicationFactor', 'int16', '0+'),
      field('assignments', [field('partitionIndex', 'int32', '0+'), field('brokerIds', '[]int32', '0+')], '0+'),
      field('configs', [field('name', 'string', '0+'), field('value', 'string', '0+', { nullable: '0+' })], '0+'),
    ],
    '0+',
  ),
  field('timeoutMs', 'int32', '0+', { default: 60000 }),
  field('validateOnly', 'bool', '1+'),
]);

export interface CreateTopicsRequestData {
  topics: {
    name: string;
    numPartitions: number;
    replicationFactor: number;
    assignments: { partitionIndex: number; brokerIds: number[] }[];
    configs: { name: string; value: string | null }[];
  }[];
  timeoutMs: number;
  validateOnly: boolean;
}

export interface TopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

export const CreateTopicsResponse = message('CreateTopicsResponse', '0-7', '5+', [
  field('throttleTimeMs', 'int32', '2+'),
  field(
    'topics',
    [
      field('name', 'string', '0+'),
      field('topicId', 'uuid', '7+'),
      field('errorCode', 'int16', '0+'),
      field('errorMessage', 'string', '1+', { nullable: '0+', default: null }),
      field('topicConfigErrorCode', 'int16', '5+', { tag: [0, '5+'] }),
      field('numPartitions', 'int32', '5+', { default: -1 }),
      field('replicationFactor', 'int16', '5+', { default: -1 }),
      field(
        'configs',
        [
          field('name', 'string', '5+'),
          field('value', 'string', '5+', { nullable: '5+' }),
          field('readOnly', 'bool', '5+'),
          field('configSource', 'int8', '5+', { default: -1 }),
          field('isSensitive', 'bool', '5+'),
        ],
        '5+',
        { nullable: '5+' },
      ),
    ],
    '0+',
  ),
]);

/** DeleteTopics v0–v6; v6 names topics in structs that may carry a topic id instead. */
export const DeleteTopicsRequest = message('DeleteTopicsRequest', '0-6', '4+', [
  field('topics', [field('name', 'string', '6+', { nullable: '6+' }), field('topicId', 'uuid', '6+')], '6+'),
  field('topicNames', '[]string', '0-5'),
  field('timeoutMs', 'int32', '0+'),
]);

export interface DeleteTopicsRequestData {
  topics: { name: string | null; topicId: Buffer }[];
  topicNames: string[];
}

export const DeleteTopicsResponse = message('DeleteTopicsResponse', '0-6', '4+', [
  field('throttleTimeMs', 'int32', '1+'),
  field(
    'responses',
    [
      field('name', 'string', '0+', { nullable: '6+' }),
      field('topicId', 'uuid', '6+'),
      field('errorCode', 'int16', '0+'),
      field('errorMessage', 'string', '5+', { nullable: '5+', default: null }),
    ],
    '0+',
  ),
]);

/** CreatePartitions v0–v3 (v2 flexible). */
export const CreatePartitionsRequest = message('CreatePartitionsRequest', '0-3', '2+', [
  field('topics', [field('name', 'string', '0+'), field('count', 'int32', '0+'), field('assignments', [field('brokerIds', '[]int32', '0+')], '0+', { nullable: '0+' })], '0+'),
  field('timeoutMs', 'int32', '0+'),
  field('validateOnly', 'bool', '0+'),
]);

export interface CreatePartitionsRequestData {
  topics: { name: string; count: number; assignments: { brokerIds: number[] }[] | null }[];
  validateOnly: boolean;
}

export const CreatePartitionsResponse = message('CreatePartitionsResponse', '0-3', '2+', [
  field('throttleTimeMs', 'int32', '0+'),
  field('results', [field('name', 'string', '0+'), field('errorCode', 'int16', '0+'), field('errorMessage', 'string', '0+', { nullable: '0+', default: null })], '0+'),
]);

/** DeleteRecords v0–v2: moves a partition's log start offset forward. */
export const DeleteRecordsRequest = message('DeleteRecordsRequest', '0-2', '2+', [
  field('topics', [field('name', 'string', '0+'), field('partitions', [field('partitionIndex', 'int32', '0+'), field('offset', 'int64', '0+')], '0+')], '0+'),
  field('timeoutMs', 'int32', '0+'),
]);

export interface DeleteRecordsRequestData {
  topics: { name: string; partitions: { partitionIndex: number; offset: number }[] }[];
}

export const DeleteRecordsResponse = message('DeleteRecordsResponse', '0-2', '2+', [
  field('throttleTimeMs', 'int32', '0+'),
  field(
    'topics',
    [field('name', 'string', '0+'), field('partitions', [field('partitionIndex', 'int32', '0+'), field('lowWatermark', 'int64', '0+'), field('errorCode', 'int16', '0+')], '0+')],
    '0+',
  ),
]);
