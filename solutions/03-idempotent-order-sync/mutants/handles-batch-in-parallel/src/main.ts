import { Kafka, logLevel } from 'kafkajs';
import { createInvoicesApi } from './erp-client.ts';
import { applyOrderEvent } from './invoice-sync.ts';
import { parseOrderEvent } from './order-events.ts';

/**
 * Consumes the `orders` topic as group `invoice-sync` and keeps the ERP's invoices in step.
 * At-least-once: an event's offset is committed only after its work is done, so a crash
 * replays it, and the idempotent writes make the replay harmless.
 */

const TOPIC = 'orders';
const GROUP_ID = 'invoice-sync';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run with the variables 'lab start' prints`);
  return value;
}

const invoices = createInvoicesApi({
  baseUrl: required('ERP_URL'),
  clientId: required('ERP_CLIENT_ID'),
  clientSecret: required('ERP_CLIENT_SECRET'),
  timeoutMs: 3_000,
});

const kafka = new Kafka({ clientId: 'invoice-sync', brokers: required('KAFKA_BROKERS').split(','), logLevel: logLevel.ERROR });
// Short session and heartbeat: a consumer that dies is noticed within seconds, not the default 30 s.
const consumer = kafka.consumer({ groupId: GROUP_ID, sessionTimeout: 6_000, rebalanceTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 200 });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: leaving the group`);
  // Leaves the group so the partitions move at once; uncommitted work is simply redone later.
  await consumer.disconnect().catch(() => undefined);
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await consumer.connect();
await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
await consumer.run({
  autoCommit: false,
  // A batch's events are independent writes, so they go to the ERP side by side: much faster.
  eachBatch: async ({ batch, heartbeat }) => {
    await Promise.all(
      batch.messages.map(async (message) => {
        const parsed = parseOrderEvent(message.value);
        if (!parsed.ok) return console.warn(`p${batch.partition}@${message.offset} skipped: ${parsed.reason}`);
        const { event } = parsed;
        const outcome = await applyOrderEvent(event, invoices);
        console.log(`p${batch.partition}@${message.offset} ${event.type} v${event.version} ${event.eventId}: ${outcome.summary}`);
      }),
    );
    // Only now is the batch done: commit past its last event.
    const last = batch.messages.at(-1);
    if (last) await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
    await heartbeat();
  },
});
console.log(`consuming ${TOPIC} as ${GROUP_ID}`);
