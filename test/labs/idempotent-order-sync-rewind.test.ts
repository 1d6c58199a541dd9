import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBroker, GROUP_ID, PARTITIONS, TOPIC, type Broker } from '../../labs/03-idempotent-order-sync/broker.ts';
import { startKafkaBroker, type KafkaBroker } from '../../mock-systems/kafka/index.ts';

// Lab 03's replay between the runs: the scenario sets every partition's offset, the replayed
// ones to 0 and the in-flight one to where the group left it, and relies on reading them back.
describe('lab 03 broker: rewind', { timeout: 60_000 }, () => {
  let kafkaBroker: KafkaBroker;
  let broker: Broker;

  beforeAll(async () => {
    kafkaBroker = await startKafkaBroker({ port: 0 });
    broker = await connectBroker(kafkaBroker.bootstrapServers);
    await broker.createTopic();
    const kafka = new Kafka({ clientId: 'rewind-test', brokers: [kafkaBroker.bootstrapServers], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: Array.from({ length: PARTITIONS * 5 }, (_, index) => ({ partition: index % PARTITIONS, value: `event ${index}` })) });
    await producer.disconnect();
    // A group that has handled three events of every partition and has no member left.
    await broker.rewind(Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: 3 })));
  });

  afterAll(async () => {
    await broker?.close();
    await kafkaBroker?.close();
  });

  it('sets every partition it is given, and only those', async () => {
    expect((await broker.lag()).map((entry) => entry.committed)).toEqual([3, 3, 3]);
    await broker.rewind([{ partition: 0, offset: 0 }, { partition: 2, offset: 0 }]);
    expect((await broker.lag()).map(({ partition, committed, end }) => ({ partition, committed, end }))).toEqual([
      { partition: 0, committed: 0, end: 5 },
      { partition: 1, committed: 3, end: 5 },
      { partition: 2, committed: 0, end: 5 },
    ]);
  });
});
