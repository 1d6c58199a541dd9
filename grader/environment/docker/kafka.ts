import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { untilGroupCoordinatorServes } from '../kafka-readiness.ts';
import { findFreePort } from '../ports.ts';
import { loadTestcontainers, serviceContainer, WITHOUT_IMAGE_HEALTHCHECK } from './runtime.ts';

export interface StartedKafka {
  container: StartedTestContainer;
  /** From this machine. */
  bootstrapServers: string;
  /** From another container on the run's network. */
  internalBootstrapServers: string;
}

export interface KafkaOptions {
  image: string;
  runId: string;
  network: StartedNetwork;
}

const ALIAS = 'kafka';
const INTERNAL_PORT = 29092;

/**
 * A real Apache Kafka, one KRaft node. A Kafka client connects to the address the broker
 * advertises, not the one it dialled, so the broker needs one listener per side: HOST, advertised
 * on the port published on this machine (chosen before start, since it is part of the
 * configuration), and INTERNAL, advertised under the broker's alias on the run's network.
 * The settings match the embedded broker's defaults (auto-created topics with one partition, no
 * initial rebalance delay), so a lab reads the same from both.
 */
export async function startKafkaContainer(options: KafkaOptions): Promise<StartedKafka> {
  const { Wait } = await loadTestcontainers();
  const service = await serviceContainer(options.image, options.runId);
  const hostPort = await findFreePort();
  const container = await service
    .withNetwork(options.network)
    .withNetworkAliases(ALIAS)
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `HOST://:9092,INTERNAL://:${INTERNAL_PORT},CONTROLLER://:9093`,
      KAFKA_ADVERTISED_LISTENERS: `HOST://127.0.0.1:${hostPort},INTERNAL://${ALIAS}:${INTERNAL_PORT}`,
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'HOST:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'INTERNAL',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'true',
      KAFKA_NUM_PARTITIONS: '1',
      // One node: one partition of the offsets topic is all it needs, and it is ready far sooner than 50.
      KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '1',
    })
    .withExposedPorts({ container: 9092, host: hostPort })
    .withHealthCheck(WITHOUT_IMAGE_HEALTHCHECK)
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(180_000)
    .start();
  const bootstrapServers = `127.0.0.1:${hostPort}`;
  try {
    await untilGroupCoordinatorServes(bootstrapServers);
  } catch (error) {
    await container.stop().catch(() => undefined);
    throw error;
  }
  return { container, bootstrapServers, internalBootstrapServers: `${ALIAS}:${INTERNAL_PORT}` };
}
