import type { Config } from './config.ts';
import { ErpPaymentPoster } from './erp.ts';
import { CONSUMER_TIMEOUTS, createKafka, createProducer, GROUPS, TOPICS } from './kafka.ts';

/**
 * `consume` mode: reads `payments` as group `payments-poster` and runs until it is stopped
 * (SIGTERM). Every payment that can be posted is posted to the ERP; every message that never
 * can be goes to `payments.dlq` (see the brief), and the partition moves on.
 */
export async function runConsumer(config: Config): Promise<void> {
  const kafka = createKafka(config.kafkaBrokers, 'payments-poster');
  const poster = new ErpPaymentPoster(config.erp);
  const producer = createProducer(kafka);
  const consumer = kafka.consumer({ groupId: GROUPS.poster, ...CONSUMER_TIMEOUTS });
  void poster; // TODO: post payments with it

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= (async () => {
    await consumer.disconnect();
    await producer.disconnect();
    console.log('consumer: stopped');
  })());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void stop().finally(() => process.exit(0)));
  }

  await Promise.all([producer.connect(), consumer.connect()]);
  // The group has no committed offsets on its first start: begin at the start of the topic.
  await consumer.subscribe({ topic: TOPICS.payments, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      // TODO: validate the value (payment.ts), post it (erp.ts), and park what can never be
      // posted in payments.dlq with the headers the brief lists (dlq.ts). Decide when the
      // offset may be committed: kafkajs commits what eachMessage returned from.
      console.log(`consumer: ${topic}/${partition}@${message.offset} received, not handled yet`);
    },
  });
  console.log(`consumer: reading ${TOPICS.payments} as group ${GROUPS.poster}`);
}
