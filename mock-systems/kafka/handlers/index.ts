import type { RequestHandler } from '../broker-state.ts';
import { ApiKey } from '../protocol/api-keys.ts';
import { handleFetch } from './fetch.ts';
import {
  handleDeleteGroups,
  handleDescribeGroups,
  handleFindCoordinator,
  handleHeartbeat,
  handleJoinGroup,
  handleLeaveGroup,
  handleListGroups,
  handleSyncGroup,
} from './groups.ts';
import { handleInitProducerId } from './init-producer-id.ts';
import { handleListOffsets } from './list-offsets.ts';
import { handleMetadata } from './metadata.ts';
import { handleOffsetCommit, handleOffsetFetch } from './offsets.ts';
import { handleProduce } from './produce.ts';
import { handleAlterConfigs, handleDescribeConfigs, handleIncrementalAlterConfigs } from './configs.ts';
import { handleCreatePartitions, handleCreateTopics, handleDeleteRecords, handleDeleteTopics } from './topics-admin.ts';

/** One handler per API key; ApiVersions is answered by the server itself. */
export const HANDLERS: ReadonlyMap<number, RequestHandler> = new Map<number, RequestHandler>([
  [ApiKey.Produce, handleProduce],
  [ApiKey.Fetch, handleFetch],
  [ApiKey.ListOffsets, handleListOffsets],
  [ApiKey.Metadata, handleMetadata],
  [ApiKey.OffsetCommit, handleOffsetCommit],
  [ApiKey.OffsetFetch, handleOffsetFetch],
  [ApiKey.FindCoordinator, handleFindCoordinator],
  [ApiKey.JoinGroup, handleJoinGroup],
  [ApiKey.Heartbeat, handleHeartbeat],
  [ApiKey.LeaveGroup, handleLeaveGroup],
  [ApiKey.SyncGroup, handleSyncGroup],
  [ApiKey.DescribeGroups, handleDescribeGroups],
  [ApiKey.ListGroups, handleListGroups],
  [ApiKey.CreateTopics, handleCreateTopics],
  [ApiKey.DeleteTopics, handleDeleteTopics],
  [ApiKey.InitProducerId, handleInitProducerId],
  [ApiKey.CreatePartitions, handleCreatePartitions],
  [ApiKey.DeleteGroups, handleDeleteGroups],
  [ApiKey.DeleteRecords, handleDeleteRecords],
  [ApiKey.DescribeConfigs, handleDescribeConfigs],
  [ApiKey.AlterConfigs, handleAlterConfigs],
  [ApiKey.IncrementalAlterConfigs, handleIncrementalAlterConfigs],
]);
