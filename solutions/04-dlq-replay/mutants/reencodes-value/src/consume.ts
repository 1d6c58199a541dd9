import type { Config } from './config.ts';
import { parkingHeaders } from './dlq.ts';
import { ErpPaymentPoster } from './erp.ts';
import { handlePayment } from './handle-payment.ts';
import { CONSUMER_TIMEOUTS, createKafka, createProducer, GROUPS, nextOffset, TOPICS } from './kafka.ts';

/**
 * Posts every payment on `payments` to the ERP. A message that can never be posted as it is
 * goes to `payments.dlq` with headers saying why and where it came from, and the partition
 * moves on; the offset is committed only once the message is posted or parked.
 */
export async function runConsumer(config: Config): Promise<void> {
  const kafka = createKafka(config.kafkaBrokers, 'payments-poster');
  const poster = new ErpPaymentPoster(config.erp);
  const producer = createProducer(kafka);
  const consumer = kafka.consumer({ groupId: GROUPS.poster, ...CONSUMER_TIMEOUTS });

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
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      const where = `${topic}/${partition}@${message.offset}`;
      const outcome = await handlePayment(message.value, poster);
      if (outcome.kind === 'posted') {
        console.log(`consumer: ${where} payment ${outcome.paymentId} posted as ${outcome.erpPaymentId}`);
      } else {
        await producer.send({
          topic: TOPICS.dlq,
          messages: [{
            key: message.key,
            value: compactJson(message.value),
            headers: parkingHeaders(message.headers, {
              origin: { topic, partition, offset: message.offset, timestamp: message.timestamp },
              reason: outcome.reason,
              detail: outcome.detail,
              attempt: 1,
            }),
          }],
        });
        console.log(`consumer: ${where} parked in ${TOPICS.dlq}: ${outcome.reason} (${outcome.detail})`);
      }
      await consumer.commitOffsets([{ topic, partition, offset: nextOffset(message.offset) }]);
    },
  });
  console.log(`consumer: reading ${TOPICS.payments} as group ${GROUPS.poster}`);
}

/** Parked values as compact JSON, so the DLQ reads uniformly; what is not JSON goes as it came. */
function compactJson(value: Buffer | null): Buffer | null {
  if (value === null) return null;
  try {
    return Buffer.from(JSON.stringify(JSON.parse(value.toString('utf8'))));
  } catch {
    return value;
  }
}
