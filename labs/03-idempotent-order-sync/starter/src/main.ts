import { Kafka, logLevel } from 'kafkajs';
import { parseOrderEvent } from './order-events.ts';
import { createInvoicesApi } from './erp-client.ts';
import { applyOrderEvent } from './invoice-sync.ts';

/**
 * Invoice sync: consume the `orders` topic and keep the ERP's invoices in step with it.
 * See the brief (README.md) for what must hold, whatever the broker and the ERP do.
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
});

const kafka = new Kafka({ clientId: 'invoice-sync', brokers: required('KAFKA_BROKERS').split(','), logLevel: logLevel.ERROR });
// Short session and heartbeat so a stopped consumer is replaced within seconds (see the brief).
const consumer = kafka.consumer({ groupId: GROUP_ID, sessionTimeout: 6_000, rebalanceTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 200 });

await consumer.connect();
await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
await consumer.run({
  eachMessage: async ({ partition, message }) => {
    const parsed = parseOrderEvent(message.value);
    if (!parsed.ok) {
      console.warn(`p${partition}@${message.offset} skipped: ${parsed.reason}`);
      return;
    }
    const { event } = parsed;
    // TODO: the ERP answers 503, hangs, or commits a write and loses the answer. What then?
    const outcome = await applyOrderEvent(event, invoices);
    console.log(`p${partition}@${message.offset} ${event.type} v${event.version} ${event.eventId}: ${outcome.summary}`);
    // TODO: kafkajs commits offsets by itself here (autoCommit). When is it safe to let the
    // group's offset move past this event?
  },
});
console.log(`consuming ${TOPIC} as ${GROUP_ID}`);
