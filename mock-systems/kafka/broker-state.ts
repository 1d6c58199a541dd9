import type { FaultState } from './faults.ts';
import type { GroupCoordinator } from './groups/coordinator.ts';
import type { TopicStore } from './log/topic-store.ts';
import type { ProducerRegistry } from './producers.ts';
import type { RequestHeader } from './protocol/header.ts';

export interface BrokerLogger {
  debug?(message: string): void;
  info?(message: string): void;
  warn?(message: string): void;
  error?(message: string): void;
}

export interface BrokerConfig {
  nodeId: number;
  clusterId: string;
  autoCreateTopics: boolean;
  defaultPartitions: number;
  /** Largest request frame; a bigger one closes the connection (socket.request.max.bytes). */
  maxFrameBytes: number;
  maxMessageBytes: number;
  /** Most record bytes one Fetch response carries, whatever the client asks (fetch.max.bytes). */
  fetchMaxBytes: number;
  /** Open client connections; one more is closed as it arrives (max.connections). */
  maxConnections: number;
  /** Bytes of requests read and not yet answered, partial frames included, in all connections (queued.max.request.bytes). */
  maxQueuedRequestBytes: number;
  /** Bytes of responses written and not yet taken by the clients' sockets, in all connections. */
  maxQueuedResponseBytes: number;
  /** Partitions the broker holds in all: it lives in the grader's process, so a client must not exhaust it. */
  maxPartitions: number;
  /** Record bytes the broker stores in all; produce past it is refused (POLICY_VIOLATION). */
  maxStoredBytes: number;
  /** Longest metadata of a committed offset, in UTF-16 units as Kafka counts (offset.metadata.max.bytes); longer is OFFSET_METADATA_TOO_LARGE. */
  maxOffsetMetadataBytes: number;
  /** Members one group accepts (group.max.size); one more is GROUP_MAX_SIZE_REACHED. */
  maxGroupSize: number;
  /** Group ids the coordinator holds in all (no Kafka setting). */
  maxGroups: number;
  /** Bytes of group state (members' metadata and assignments, committed offsets) in all (no Kafka setting). */
  maxGroupStateBytes: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
}

/** Everything a request handler may read or change. */
export interface BrokerState {
  readonly config: BrokerConfig;
  readonly topics: TopicStore;
  readonly groups: GroupCoordinator;
  readonly producers: ProducerRegistry;
  readonly faults: FaultState;
  readonly logger: BrokerLogger;
  /** The port the broker really listens on (known only after listen when 0 was asked). */
  port(): number;
}

export interface RequestContext {
  header: RequestHeader;
  /** The address the client reached us on, advertised back so it can reconnect the same way. */
  advertisedHost: string;
  /** The client's address, as DescribeGroups reports it. */
  clientHost: string;
  /** Aborted when the connection or the broker closes; long waits stop on it. */
  signal: AbortSignal;
}

/**
 * A response body: one buffer, or chunks that are sent one after another without being joined
 * (a fetch response whose record batches are the stored ones, referenced rather than copied).
 */
export type ResponseBody = Buffer | readonly Buffer[];

export type RequestHandler = (
  body: import('./protocol/reader.ts').Reader,
  context: RequestContext,
  broker: BrokerState,
) => Promise<ResponseBody | null> | ResponseBody | null;
