import type { Admin } from 'kafkajs';
import type { Config } from './config.ts';
import { parkingHeaders, readParking } from './dlq.ts';
import { ErpPaymentPoster, ErpUnavailableError } from './erp.ts';
import { handlePayment } from './handle-payment.ts';
import { CONSUMER_TIMEOUTS, createKafka, createProducer, GROUPS, nextOffset, TOPICS } from './kafka.ts';

/**
 * Re-processes what `payments.dlq` holds beyond the replay group's committed offsets, up to
 * the end it saw at start, then exits. Now-valid payments are posted (same Idempotency-Key as
 * the consumer's), still-invalid ones move to `payments.parked` with their reason and
 * attempt + 1. Committed offsets make a second run find nothing to do.
 */
export async function runReplay(config: Config): Promise<void> {
  const kafka = createKafka(config.kafkaBrokers, 'payments-replay');
  const admin = kafka.admin();
  await admin.connect();
  const ends = await pendingPartitions(admin).finally(() => admin.disconnect());
  if (ends.size === 0) {
    console.log(`replay: nothing to replay in ${TOPICS.dlq}`);
    return;
  }

  const poster = new ErpPaymentPoster(config.erp);
  // One quick retry per message; what still fails is retried once the rest is done.
  const quickPoster = new ErpPaymentPoster(config.erp, 2);
  const later: Array<() => Promise<void>> = [];
  const producer = createProducer(kafka);
  const consumer = kafka.consumer({ groupId: GROUPS.replay, ...CONSUMER_TIMEOUTS });
  const seen = new Set<string>();
  const counts = { posted: 0, parked: 0, duplicates: 0 };
  let failed = false;
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });

  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic: TOPICS.dlq, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      const end = ends.get(partition);
      // After a failure nothing more is handled, so nothing is posted out of order; the next run resumes.
      if (failed || end === undefined || BigInt(message.offset) >= end) return;
      const parking = readParking(message.headers);
      const origin = parking?.origin ?? { topic, partition, offset: message.offset, timestamp: message.timestamp };
      const originKey = `${origin.topic}/${origin.partition}@${origin.offset}`;
      try {
        if (seen.has(originKey)) {
          counts.duplicates++; // parked twice (e.g. the consumer restarted before its commit)
        } else {
          seen.add(originKey);
          const outcome = await handlePayment(message.value, quickPoster).catch(async (error: unknown) => {
            if (!(error instanceof ErpUnavailableError)) throw error;
            later.push(async () => void (await handlePayment(message.value, poster)));
            return undefined;
          });
          if (outcome === undefined) {
            console.log(`replay: ${originKey} will be retried at the end`);
          } else if (outcome.kind === 'posted') {
            counts.posted++;
            console.log(`replay: ${originKey} payment ${outcome.paymentId} posted as ${outcome.erpPaymentId}`);
          } else {
            const attempt = (parking?.attempt ?? 1) + 1;
            await producer.send({
              topic: TOPICS.parked,
              messages: [{ key: message.key, value: message.value, headers: parkingHeaders(message.headers, { origin, reason: outcome.reason, detail: outcome.detail, attempt }) }],
            });
            counts.parked++;
            console.log(`replay: ${originKey} still ${outcome.reason}, parked in ${TOPICS.parked} (attempt ${attempt})`);
          }
        }
        await consumer.commitOffsets([{ topic, partition, offset: nextOffset(message.offset) }]);
      } catch (error) {
        failed = true;
        fail(error);
        return;
      }
      if (BigInt(message.offset) + 1n >= end) {
        ends.delete(partition);
        if (ends.size === 0) finish();
      }
    },
  });

  try {
    await done;
    for (const retry of later) await retry();
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  console.log(`replay: ${counts.posted} posted, ${counts.parked} parked again, ${counts.duplicates} duplicates skipped`);
}

/** Partition → end offset, for every partition of the DLQ the replay group has not read to its end. */
async function pendingPartitions(admin: Admin): Promise<Map<number, bigint>> {
  const topics = await admin.listTopics();
  if (!topics.includes(TOPICS.dlq)) return new Map();
  const [latest, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(TOPICS.dlq),
    admin.fetchOffsets({ groupId: GROUPS.replay, topics: [TOPICS.dlq] }),
  ]);
  const pending = new Map<number, bigint>();
  for (const { partition, offset: high, low } of latest) {
    const position = committed?.partitions.find((entry) => entry.partition === partition)?.offset ?? '-1';
    const start = BigInt(position) < 0n ? BigInt(low) : BigInt(position);
    if (start < BigInt(high)) pending.set(partition, BigInt(high));
  }
  return pending;
}
