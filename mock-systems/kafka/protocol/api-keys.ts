/** API keys and the single version of each this broker implements (all non-flexible). */
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
  InitProducerId: 22,
  CreatePartitions: 37,
  DeleteGroups: 42,
} as const;

export type ApiKeyValue = (typeof ApiKey)[keyof typeof ApiKey];

export interface VersionRange {
  min: number;
  max: number;
}

/**
 * What ApiVersions advertises. A client that negotiates picks the highest version both sides
 * know, so advertising exactly what is implemented is what makes any such client work.
 */
export const SUPPORTED_VERSIONS: ReadonlyMap<number, VersionRange> = new Map([
  [ApiKey.Produce, { min: 3, max: 3 }],
  [ApiKey.Fetch, { min: 4, max: 4 }],
  [ApiKey.ListOffsets, { min: 1, max: 1 }],
  [ApiKey.Metadata, { min: 4, max: 4 }],
  [ApiKey.OffsetCommit, { min: 3, max: 3 }],
  [ApiKey.OffsetFetch, { min: 3, max: 3 }],
  [ApiKey.FindCoordinator, { min: 1, max: 1 }],
  [ApiKey.JoinGroup, { min: 2, max: 2 }],
  [ApiKey.Heartbeat, { min: 1, max: 1 }],
  [ApiKey.LeaveGroup, { min: 1, max: 1 }],
  [ApiKey.SyncGroup, { min: 1, max: 1 }],
  [ApiKey.DescribeGroups, { min: 1, max: 1 }],
  [ApiKey.ListGroups, { min: 1, max: 1 }],
  [ApiKey.ApiVersions, { min: 0, max: 2 }],
  [ApiKey.CreateTopics, { min: 2, max: 2 }],
  [ApiKey.DeleteTopics, { min: 1, max: 1 }],
  [ApiKey.InitProducerId, { min: 0, max: 0 }],
  [ApiKey.CreatePartitions, { min: 0, max: 1 }],
  [ApiKey.DeleteGroups, { min: 0, max: 1 }],
]);

export function isSupported(apiKey: number, version: number): boolean {
  const range = SUPPORTED_VERSIONS.get(apiKey);
  return range !== undefined && version >= range.min && version <= range.max;
}
