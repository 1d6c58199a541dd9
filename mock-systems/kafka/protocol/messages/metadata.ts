import { field, message } from '../schema.ts';

/**
 * Metadata v0–v12. In v0 an empty topic list means every topic; from v1 that is null and an
 * empty list means none. Topic ids (v10+) are sent as all zeros: this broker names topics.
 */
export const MetadataRequest = message('MetadataRequest', '0-12', '9+', [
  field('topics', [field('topicId', 'uuid', '10+'), field('name', 'string', '0+', { nullable: '10+' })], '0+', { nullable: '1+' }),
  field('allowAutoTopicCreation', 'bool', '4+', { default: true }),
  field('includeClusterAuthorizedOperations', 'bool', '8-10'),
  field('includeTopicAuthorizedOperations', 'bool', '8+'),
]);

export interface MetadataRequestData {
  topics: { name: string | null }[] | null;
  allowAutoTopicCreation: boolean;
}

const UNKNOWN_OPERATIONS = -2147483648;

export const MetadataResponse = message('MetadataResponse', '0-12', '9+', [
  field('throttleTimeMs', 'int32', '3+'),
  field(
    'brokers',
    [
      field('nodeId', 'int32', '0+'),
      field('host', 'string', '0+'),
      field('port', 'int32', '0+'),
      field('rack', 'string', '1+', { nullable: '1+', default: null }),
    ],
    '0+',
  ),
  field('clusterId', 'string', '2+', { nullable: '2+', default: null }),
  field('controllerId', 'int32', '1+', { default: -1 }),
  field(
    'topics',
    [
      field('errorCode', 'int16', '0+'),
      field('name', 'string', '0+', { nullable: '12+' }),
      field('topicId', 'uuid', '10+'),
      field('isInternal', 'bool', '1+'),
      field(
        'partitions',
        [
          field('errorCode', 'int16', '0+'),
          field('partitionIndex', 'int32', '0+'),
          field('leaderId', 'int32', '0+'),
          field('leaderEpoch', 'int32', '7+', { default: -1 }),
          field('replicaNodes', '[]int32', '0+'),
          field('isrNodes', '[]int32', '0+'),
          field('offlineReplicas', '[]int32', '5+'),
        ],
        '0+',
      ),
      field('topicAuthorizedOperations', 'int32', '8+', { default: UNKNOWN_OPERATIONS }),
    ],
    '0+',
  ),
  field('clusterAuthorizedOperations', 'int32', '8-10', { default: UNKNOWN_OPERATIONS }),
]);
