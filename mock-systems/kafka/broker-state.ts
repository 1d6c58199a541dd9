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
  maxFrameBytes: number;
  maxMessageBytes: number;
  /** Partitions the broker holds in all: it lives in the grader's process, so a client must not exhaust it. */
  maxPartitions: number;
  /** Record bytes the broker stores in all; produce past it is refused (POLICY_VIOLATION). */
  maxStoredBytes: number;
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

export type RequestHandler = (
  body: import('./protocol/reader.ts').Reader,
  context: RequestContext,
  broker: BrokerState,
) => Promise<Buffer | null> | Buffer | null;
