import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';

export const TOPICS = { payments: 'payments', dlq: 'payments.dlq', parked: 'payments.parked' } as const;
export const GROUPS = { poster: 'payments-poster', replay: 'payments-replay' } as const;

/**
 * kafkajs's defaults (30 s session, 3 s heartbeat, 5 s fetch wait) suit a long-lived service;
 * here a run lasts seconds, so a consumer would spend most of it waiting to join or to poll.
 * 6 s is the smallest session timeout a broker accepts by default.
 */
export const CONSUMER_TIMEOUTS = { sessionTimeout: 6000, rebalanceTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 200 };

export function createKafka(brokers: string[], clientId: string): Kafka {
  return new Kafka({ clientId, brokers, logLevel: logLevel.WARN, retry: { retries: 5, initialRetryTime: 100 } });
}

/** The offset to commit after handling `offset`: Kafka commits the next one to read. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}

/** A producer with the partitioner kafkajs 2 uses by default, named so it does not warn on every start. */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
}
