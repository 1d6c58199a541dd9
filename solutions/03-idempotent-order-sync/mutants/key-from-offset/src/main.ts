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
  eachMessage: async ({ topic, partition, message, heartbeat }) => {
    const parsed = parseOrderEvent(message.value);
    if (parsed.ok) {
      const { event } = parsed;
      const outcome = await applyOrderEvent(event, invoices, { partition, offset: message.offset });
      console.log(`p${partition}@${message.offset} ${event.type} v${event.version} ${event.eventId}: ${outcome.summary}`);
    } else {
      // Not ours to fix here; a later lab routes these to a dead-letter topic.
      console.warn(`p${partition}@${message.offset} skipped: ${parsed.reason}`);
    }
    // Only now is the event done: commit the offset of the next one.
    await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    await heartbeat();
  },
});
console.log(`consuming ${TOPIC} as ${GROUP_ID}`);
