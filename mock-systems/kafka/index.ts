import type { BrokerConfig, BrokerLogger, BrokerState } from './broker-state.ts';
import { FaultState } from './faults.ts';
import { GroupCoordinator, type GroupStateStats } from './groups/coordinator.ts';
import { HANDLERS } from './handlers/index.ts';
import { BrokerInspector, type BatchView, type CommittedOffsetView, type GroupView, type InspectedMessage, type PartitionLag, type TopicSummary } from './inspect.ts';
import { TopicStore } from './log/topic-store.ts';
import { ProducerRegistry } from './producers.ts';
import type { RecordInput } from './protocol/record-batch.ts';
import { KafkaServer, type NetworkStats } from './server.ts';

export type { BrokerLogger } from './broker-state.ts';
export type { BatchView, CommittedOffsetView, GroupView, InspectedMessage, PartitionLag, TopicSummary } from './inspect.ts';
export type { RecordInput } from './protocol/record-batch.ts';
export type { NetworkStats } from './server.ts';
export type { GroupStateStats } from './groups/coordinator.ts';

export const DEFAULT_KAFKA_PORT = 19092;

const MiB = 1024 * 1024;

/**
 * What a client can make the broker hold. The broker runs inside the grader's process while
 * untrusted submissions talk to it, so each of these has a bound; docs/kafka.md ("Resource
 * limits") says why each default is what it is.
 */
export const DEFAULT_LIMITS = {
  /** Kafka's socket.request.max.bytes is 100 MiB; no request a client here sends comes near 16 (see docs). */
  maxFrameBytes: 16 * MiB,
  /** Kafka's message.max.bytes default. */
  maxMessageBytes: 1_048_588,
  /** Kafka's fetch.max.bytes default. */
  fetchMaxBytes: 55 * MiB,
  maxConnections: 256,
  maxQueuedRequestBytes: 64 * MiB,
  maxQueuedResponseBytes: 128 * MiB,
  maxPartitions: 10_000,
  maxStoredBytes: 512 * MiB,
  /** Kafka's offset.metadata.max.bytes default (counted in UTF-16 units, as Kafka does). */
  maxOffsetMetadataBytes: 4096,
  /** Kafka's group.max.size is unlimited by default; labs run a few consumers per group. */
  maxGroupSize: 1000,
  /** No Kafka setting; labs use a few groups, and restoring a broker deletes them all. */
  maxGroups: 10_000,
  /** No Kafka setting; a lab's groups and offsets come to kilobytes. */
  maxGroupStateBytes: 64 * MiB,
} as const;

export interface KafkaBrokerOptions {
  /** TCP port; 0 picks a free one. Default 19092. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. A wildcard (0.0.0.0) advertises the address each client reached. */
  host?: string;
  /** Create unknown topics when a client's Metadata request allows it (Kafka's auto.create.topics.enable). Default true. */
  autoCreateTopics?: boolean;
  /** Partitions of auto-created topics and of CreateTopics with -1 (Kafka's num.partitions). Default 1. */
  defaultPartitions?: number;
  /** Largest request frame accepted; bigger ones close the connection (socket.request.max.bytes). Default 16 MiB. */
  maxFrameBytes?: number;
  /** Largest record batch accepted (message.max.bytes). Default 1048588. */
  maxMessageBytes?: number;
  /** Most record bytes in one Fetch response, whatever max_bytes the client asks for (fetch.max.bytes). Default 55 MiB. */
  fetchMaxBytes?: number;
  /** Open client connections; one more is closed as it arrives (max.connections). Default 256. */
  maxConnections?: number;
  /**
   * Bytes of requests read and not yet answered, partial frames included, in all connections
   * together (queued.max.request.bytes); past it the connection holding the most is closed.
   * At least maxFrameBytes. Default 64 MiB.
   */
  maxQueuedRequestBytes?: number;
  /**
   * Bytes of responses not yet taken by the clients' sockets, in all connections together;
   * past it the connection with the most unread is closed. At least fetchMaxBytes +
   * maxMessageBytes. Default 128 MiB.
   */
  maxQueuedResponseBytes?: number;
  /** Partitions the broker holds in all topics together. Default 10000. */
  maxPartitions?: number;
  /** Record bytes the broker stores in all partitions together. Default 512 MiB. */
  maxStoredBytes?: number;
  /** Longest committed-offset metadata; longer gets OFFSET_METADATA_TOO_LARGE (offset.metadata.max.bytes). Default 4096. */
  maxOffsetMetadataBytes?: number;
  /** Members one consumer group accepts; one more gets GROUP_MAX_SIZE_REACHED (group.max.size). Default 1000. */
  maxGroupSize?: number;
  /** Consumer groups held in all; a new one past it is refused (GROUP_MAX_SIZE_REACHED, INVALID_COMMIT_OFFSET_SIZE). Default 10000. */
  maxGroups?: number;
  /**
   * Bytes of consumer-group state in all groups together: member metadata and assignments,
   * handed-out member ids, committed offsets and their metadata, each entry with its overhead.
   * Default 64 MiB.
   */
  maxGroupStateBytes?: number;
  /** How long a group that was empty waits for more members before its first generation. Default 0. */
  groupInitialRebalanceDelayMs?: number;
  /** Session timeouts clients may ask for (group.min/max.session.timeout.ms). Default 6000–1800000. */
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
  /** Silent unless given. */
  logger?: BrokerLogger;
}

export interface KafkaBroker {
  readonly host: string;
  readonly port: number;
  /** "host:port", ready for kafkajs's `brokers` or KAFKA_BROKERS. */
  readonly bootstrapServers: string;
  close(): Promise<void>;

  // Inspection, for scenarios and graders.
  topics(): TopicSummary[];
  messages(topic: string, partition?: number): InspectedMessage[];
  /** Stored batches with their attributes, e.g. to see that a zstd batch stayed compressed. */
  batches(topic: string, partition?: number): BatchView[];
  groups(): string[];
  group(groupId: string): GroupView;
  groupOffsets(groupId: string): CommittedOffsetView[];
  lag(groupId: string, topic: string): { total: number; partitions: PartitionLag[] };

  // Setup shortcuts that bypass the wire protocol.
  createTopic(name: string, partitions?: number): void;
  append(topic: string, partition: number, records: RecordInput[]): number;

  // Faults.
  /** Sends every member of the group through a rebalance, as a membership change would. */
  forceRebalance(groupId: string): void;
  /** Moves the group's committed offset back (or forward) and makes its members pick it up. */
  redeliverFrom(groupId: string, topic: string, partition: number, offset: number): void;
  /** Produce, fetch and list-offsets for the partition fail with a retriable leader error for `ms`. */
  makeLeaderUnavailable(topic: string, partition: number, ms: number): void;
  /** Closes every client connection; clients reconnect on their own. */
  dropConnections(): void;
  /** Delays every fetch by `ms` before it is served (0 turns it off). */
  setFetchDelay(ms: number): void;
  readonly connectionCount: number;
  /** What the network layer holds for clients (queued request and response bytes, peaks, connections closed over a limit). */
  network(): NetworkStats;
  /** What the group coordinator holds for clients (groups, members, offsets, bytes) and what its limits refused. */
  groupState(): GroupStateStats;
}

export async function startKafkaBroker(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const config: BrokerConfig = {
    nodeId: 1,
    clusterId: 'integration-lab',
    autoCreateTopics: options.autoCreateTopics ?? true,
    defaultPartitions: positive(options.defaultPartitions ?? 1, 'defaultPartitions'),
    maxFrameBytes: positive(options.maxFrameBytes ?? DEFAULT_LIMITS.maxFrameBytes, 'maxFrameBytes'),
    maxMessageBytes: positive(options.maxMessageBytes ?? DEFAULT_LIMITS.maxMessageBytes, 'maxMessageBytes'),
    fetchMaxBytes: positive(options.fetchMaxBytes ?? DEFAULT_LIMITS.fetchMaxBytes, 'fetchMaxBytes'),
    maxConnections: positive(options.maxConnections ?? DEFAULT_LIMITS.maxConnections, 'maxConnections'),
    maxQueuedRequestBytes: positive(options.maxQueuedRequestBytes ?? DEFAULT_LIMITS.maxQueuedRequestBytes, 'maxQueuedRequestBytes'),
    maxQueuedResponseBytes: positive(options.maxQueuedResponseBytes ?? DEFAULT_LIMITS.maxQueuedResponseBytes, 'maxQueuedResponseBytes'),
    maxPartitions: positive(options.maxPartitions ?? DEFAULT_LIMITS.maxPartitions, 'maxPartitions'),
    maxStoredBytes: positive(options.maxStoredBytes ?? DEFAULT_LIMITS.maxStoredBytes, 'maxStoredBytes'),
    maxOffsetMetadataBytes: positive(options.maxOffsetMetadataBytes ?? DEFAULT_LIMITS.maxOffsetMetadataBytes, 'maxOffsetMetadataBytes'),
    maxGroupSize: positive(options.maxGroupSize ?? DEFAULT_LIMITS.maxGroupSize, 'maxGroupSize'),
    maxGroups: positive(options.maxGroups ?? DEFAULT_LIMITS.maxGroups, 'maxGroups'),
    maxGroupStateBytes: positive(options.maxGroupStateBytes ?? DEFAULT_LIMITS.maxGroupStateBytes, 'maxGroupStateBytes'),
    minSessionTimeoutMs: options.minSessionTimeoutMs ?? 6_000,
    maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? 1_800_000,
  };
  checkLimits(config);
  const host = options.host ?? '127.0.0.1';
  let listeningPort = 0;
  const groups = new GroupCoordinator({ initialRebalanceDelayMs: options.groupInitialRebalanceDelayMs ?? 0 }, config);
  const state: BrokerState = {
    config,
    topics: new TopicStore(),
    groups,
    producers: new ProducerRegistry(),
    faults: new FaultState(),
    logger: options.logger ?? {},
    port: () => listeningPort,
  };
  const server = new KafkaServer(state, HANDLERS, host);
  listeningPort = await server.listen(options.port ?? DEFAULT_KAFKA_PORT, host);
  const inspector = new BrokerInspector(state);
  const advertised = ['0.0.0.0', '::'].includes(host) ? '127.0.0.1' : host;
  state.logger.info?.(`Kafka-protocol broker listening on ${advertised}:${listeningPort}`);

  return {
    host: advertised,
    port: listeningPort,
    bootstrapServers: `${advertised.includes(':') ? `[${advertised}]` : advertised}:${listeningPort}`,
    async close() {
      groups.close();
      await server.close();
    },
    topics: () => inspector.topics(),
    messages: (topic, partition) => inspector.messages(topic, partition),
    batches: (topic, partition) => inspector.batches(topic, partition),
    groups: () => inspector.groups(),
    group: (groupId) => inspector.group(groupId),
    groupOffsets: (groupId) => inspector.groupOffsets(groupId),
    lag: (groupId, topic) => inspector.lag(groupId, topic),
    createTopic: (name, partitions) => inspector.createTopic(name, partitions),
    append: (topic, partition, records) => inspector.append(topic, partition, records),
    forceRebalance: (groupId) => groups.group(groupId)?.forceRebalance(),
    redeliverFrom: (groupId, topic, partition, offset) => groups.redeliverFrom(groupId, topic, partition, offset),
    makeLeaderUnavailable: (topic, partition, ms) => state.faults.makeLeaderUnavailable(topic, partition, ms),
    dropConnections: () => server.dropConnections(),
    setFetchDelay: (ms) => {
      state.faults.fetchDelayMs = Math.max(0, ms);
    },
    get connectionCount() {
      return server.connectionCount;
    },
    network: () => server.stats(),
    groupState: () => groups.stats(),
  };
}

/** Budgets that one well-formed request or response could overrun on its own would close well-behaved clients. */
function checkLimits(config: BrokerConfig): void {
  if (config.maxQueuedRequestBytes < config.maxFrameBytes) {
    throw new Error(`maxQueuedRequestBytes (${config.maxQueuedRequestBytes}) must be at least maxFrameBytes (${config.maxFrameBytes}): one whole request must fit`);
  }
  const largestResponse = config.fetchMaxBytes + config.maxMessageBytes;
  if (config.maxQueuedResponseBytes < largestResponse) {
    throw new Error(
      `maxQueuedResponseBytes (${config.maxQueuedResponseBytes}) must be at least fetchMaxBytes + maxMessageBytes (${largestResponse}): one whole fetch response must fit`,
    );
  }
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}
