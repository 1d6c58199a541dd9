import { field, message } from '../schema.ts';

/** Resource types of the config APIs (Kafka's ConfigResource.Type). */
export const ResourceType = { Topic: 2, Broker: 4 } as const;

/** Where a config value comes from (DescribeConfigs v1+). */
export const ConfigSource = { DynamicTopic: 1, StaticBroker: 4, Default: 5 } as const;

/** Config value types (DescribeConfigs v3+). */
export const ConfigType = { Boolean: 1, String: 2, Int: 3, Long: 5, List: 7 } as const;

/** DescribeConfigs v0–v4: v1 adds synonyms and the source, v3 the type and documentation. */
export const DescribeConfigsRequest = message('DescribeConfigsRequest', '0-4', '4+', [
  field('resources', [field('resourceType', 'int8', '0+'), field('resourceName', 'string', '0+'), field('configurationKeys', '[]string', '0+', { nullable: '0+' })], '0+'),
  field('includeSynonyms', 'bool', '1+'),
  field('includeDocumentation', 'bool', '3+'),
]);

export interface DescribeConfigsRequestData {
  resources: { resourceType: number; resourceName: string; configurationKeys: string[] | null }[];
  includeSynonyms: boolean;
  includeDocumentation: boolean;
}

export const DescribeConfigsResponse = message('DescribeConfigsResponse', '0-4', '4+', [
  field('throttleTimeMs', 'int32', '0+'),
  field(
    'results',
    [
      field('errorCode', 'int16', '0+'),
      field('errorMessage', 'string', '0+', { nullable: '0+', default: null }),
      field('resourceType', 'int8', '0+'),
      field('resourceName', 'string', '0+'),
      field(
        'configs',
        [
          field('name', 'string', '0+'),
          field('value', 'string', '0+', { nullable: '0+' }),
          field('readOnly', 'bool', '0+'),
          field('isDefault', 'bool', '0'),
          field('configSource', 'int8', '1+', { default: -1 }),
          field('isSensitive', 'bool', '0+'),
          field('synonyms', [field('name', 'string', '1+'), field('value', 'string', '1+', { nullable: '1+' }), field('source', 'int8', '1+')], '1+'),
          field('configType', 'int8', '3+'),
          field('documentation', 'string', '3+', { nullable: '0+', default: null }),
        ],
        '0+',
      ),
    ],
    '0+',
  ),
]);

/** AlterConfigs v0–v2: replaces a resource's whole set of overrides. */
export const AlterConfigsRequest = message('AlterConfigsRequest', '0-2', '2+', [
  field('resources', [field('resourceType', 'int8', '0+'), field('resourceName', 'string', '0+'), field('configs', [field('name', 'string', '0+'), field('value', 'string', '0+', { nullable: '0+' })], '0+')], '0+'),
  field('validateOnly', 'bool', '0+'),
]);

export interface AlterConfigsRequestData {
  resources: { resourceType: number; resourceName: string; configs: { name: string; value: string | null; configOperation?: number }[] }[];
  validateOnly: boolean;
}

const alterResponses = field(
  'responses',
  [field('errorCode', 'int16', '0+'), field('errorMessage', 'string', '0+', { nullable: '0+', default: null }), field('resourceType', 'int8', '0+'), field('resourceName', 'string', '0+')],
  '0+',
);

export const AlterConfigsResponse = message('AlterConfigsResponse', '0-2', '2+', [field('throttleTimeMs', 'int32', '0+'), alterResponses]);

/** IncrementalAlterConfigs v0–v1: set (0), delete (1), append (2) or subtract (3) one config at a time. */
export const IncrementalAlterConfigsRequest = message('IncrementalAlterConfigsRequest', '0-1', '1+', [
  field(
    'resources',
    [
      field('resourceType', 'int8', '0+'),
      field('resourceName', 'string', '0+'),
      field('configs', [field('name', 'string', '0+'), field('configOperation', 'int8', '0+'), field('value', 'string', '0+', { nullable: '0+' })], '0+'),
    ],
    '0+',
  ),
  field('validateOnly', 'bool', '0+'),
]);

export const IncrementalAlterConfigsResponse = message('IncrementalAlterConfigsResponse', '0-1', '1+', [field('throttleTimeMs', 'int32', '0+'), alterResponses]);
