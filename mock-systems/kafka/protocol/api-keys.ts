import * as apiVersions from './messages/api-versions.ts';
import * as configs from './messages/configs.ts';
import * as fetch from './messages/fetch.ts';
import * as groups from './messages/groups.ts';
import * as initProducerId from './messages/init-producer-id.ts';
import * as listOffsets from './messages/list-offsets.ts';
import * as metadata from './messages/metadata.ts';
import * as offsets from './messages/offsets.ts';
import * as produce from './messages/produce.ts';
import * as topicsAdmin from './messages/topics-admin.ts';
import { isFlexible, type MessageSchema } from './schema.ts';

export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteRecords: 21,
  InitProducerId: 22,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  CreatePartitions: 37,
  DeleteGroups: 42,
  IncrementalAlterConfigs: 44,
} as const;

export type ApiKeyValue = (typeof ApiKey)[keyof typeof ApiKey];

export interface VersionRange {
  min: number;
  max: number;
}

/** Each API's request and response schemas; their version ranges are what this broker implements. */
export const SCHEMAS: ReadonlyMap<number, { request: MessageSchema; response: MessageSchema }> = new Map([
  [ApiKey.Produce, { request: produce.ProduceRequest, response: produce.ProduceResponse }],
  [ApiKey.Fetch, { request: fetch.FetchRequest, response: fetch.FetchResponse }],
  [ApiKey.ListOffsets, { request: listOffsets.ListOffsetsRequest, response: listOffsets.ListOffsetsResponse }],
  [ApiKey.Metadata, { request: metadata.MetadataRequest, response: metadata.MetadataResponse }],
  [ApiKey.OffsetCommit, { request: offsets.OffsetCommitRequest, response: offsets.OffsetCommitResponse }],
  [ApiKey.OffsetFetch, { request: offsets.OffsetFetchRequest, response: offsets.OffsetFetchResponse }],
  [ApiKey.FindCoordinator, { request: groups.FindCoordinatorRequest, response: groups.FindCoordinatorResponse }],
  [ApiKey.JoinGroup, { request: groups.JoinGroupRequest, response: groups.JoinGroupResponse }],
  [ApiKey.Heartbeat, { request: groups.HeartbeatRequest, response: groups.HeartbeatResponse }],
  [ApiKey.LeaveGroup, { request: groups.LeaveGroupRequest, response: groups.LeaveGroupResponse }],
  [ApiKey.SyncGroup, { request: groups.SyncGroupRequest, response: groups.SyncGroupResponse }],
  [ApiKey.DescribeGroups, { request: groups.DescribeGroupsRequest, response: groups.DescribeGroupsResponse }],
  [ApiKey.ListGroups, { request: groups.ListGroupsRequest, response: groups.ListGroupsResponse }],
  [ApiKey.ApiVersions, { request: apiVersions.ApiVersionsRequest, response: apiVersions.ApiVersionsResponse }],
  [ApiKey.CreateTopics, { request: topicsAdmin.CreateTopicsRequest, response: topicsAdmin.CreateTopicsResponse }],
  [ApiKey.DeleteTopics, { request: topicsAdmin.DeleteTopicsRequest, response: topicsAdmin.DeleteTopicsResponse }],
  [ApiKey.DeleteRecords, { request: topicsAdmin.DeleteRecordsRequest, response: topicsAdmin.DeleteRecordsResponse }],
  [ApiKey.InitProducerId, { request: initProducerId.InitProducerIdRequest, response: initProducerId.InitProducerIdResponse }],
  [ApiKey.DescribeConfigs, { request: configs.DescribeConfigsRequest, response: configs.DescribeConfigsResponse }],
  [ApiKey.AlterConfigs, { request: configs.AlterConfigsRequest, response: configs.AlterConfigsResponse }],
  [ApiKey.CreatePartitions, { request: topicsAdmin.CreatePartitionsRequest, response: topicsAdmin.CreatePartitionsResponse }],
  [ApiKey.DeleteGroups, { request: groups.DeleteGroupsRequest, response: groups.DeleteGroupsResponse }],
  [ApiKey.IncrementalAlterConfigs, { request: configs.IncrementalAlterConfigsRequest, response: configs.IncrementalAlterConfigsResponse }],
]);

/**
 * What ApiVersions advertises. A client that negotiates picks the highest version both sides
 * know, so advertising exactly what is implemented is what makes any such client work.
 */
export const SUPPORTED_VERSIONS: ReadonlyMap<number, VersionRange> = new Map(
  [...SCHEMAS].map(([apiKey, { request }]) => [apiKey, { min: request.versions.min, max: request.versions.max }]),
);

export function isSupported(apiKey: number, version: number): boolean {
  const range = SUPPORTED_VERSIONS.get(apiKey);
  return range !== undefined && version >= range.min && version <= range.max;
}

/** Flexible versions use request header v2 and response header v1 (tagged fields after each). */
export function usesFlexibleHeaders(apiKey: number, version: number): boolean {
  const schemas = SCHEMAS.get(apiKey);
  return schemas !== undefined && isSupported(apiKey, version) && isFlexible(schemas.request, version);
}
