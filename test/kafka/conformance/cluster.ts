import { Kafka, logLevel, type ConsumerConfig, type KafkaConfig } from 'kafkajs';
import { startKafkaBroker, type KafkaBroker } from '../../../mock-systems/kafka/index.ts';

/**
 * Where the conformance suite runs: the brokers in KAFKA_BROKERS (comma-separated
 * host:port, e.g. a real Apache Kafka) when set, else a fresh embedded broker. Tests only
 * use kafkajs against `brokers`, so the same suite judges both.
 */
export interface ConformanceCluster {
  brokers: string[];
  /** The embedded broker, or null when running against KAFKA_BROKERS. Tests must not rely on it. */
  embedded: KafkaBroker | null;
  kafka(overrides?: Partial<KafkaConfig>): Kafka;
  close(): Promise<void>;
}

export async function startCluster(): Promise<ConformanceCluster> {
  const fromEnvironment = process.env.KAFKA_BROKERS?.trim();
  // KAFKA_BROKER_DEBUG=1 shows why the embedded broker closed a connection, when chasing a failure.
  const logger = process.env.KAFKA_BROKER_DEBUG
    ? { warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) }
    : undefined;
  const embedded = fromEnvironment ? null : await startKafkaBroker({ port: 0, ...(logger ? { logger } : {}) });
  const brokers = fromEnvironment ? fromEnvironment.split(',').map((b) => b.trim()) : [embedded!.bootstrapServers];
  return {
    brokers,
    embedded,
    kafka: (overrides = {}) =>
      new Kafka({
        clientId: 'conformance',
        brokers,
        logLevel: logLevel.NOTHING,
        retry: { initialRetryTime: 50, retries: 10 },
        ...overrides,
      }),
    close: async () => {
      await embedded?.close();
    },
  };
}

let counter = 0;
const runId = `${Date.now().toString(36)}-${process.pid}`;

/** Names unique across runs, so a long-lived real broker never sees a leftover topic or group. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${runId}-${++counter}`;
}

/**
 * Consumer settings that keep the suite quick on any broker: short fetch waits so heartbeats
 * (and with them rebalances) come often, and the smallest session timeout Kafka accepts by
 * default (group.min.session.timeout.ms = 6000).
 */
export function consumerConfig(groupId: string, overrides: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return {
    groupId,
    sessionTimeout: 6_000,
    heartbeatInterval: 200,
    rebalanceTimeout: 10_000,
    maxWaitTimeInMs: 100,
    retry: { initialRetryTime: 50, retries: 10 },
    ...overrides,
  };
}

/** Polls until `check` holds, failing with `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
