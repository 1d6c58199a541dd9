/**
 * A group member that the groups test kills with SIGKILL: it joins, reports its assignment
 * on stdout, and never leaves the group politely. Run by groups.test.ts, not by vitest.
 */
import { Kafka, logLevel } from 'kafkajs';
import { consumerConfig } from './cluster.ts';

const [brokers, groupId, topic] = process.argv.slice(2);
if (!brokers || !groupId || !topic) {
  process.stderr.write('usage: crashing-member.ts <brokers> <groupId> <topic>\n');
  process.exit(2);
}
const kafka = new Kafka({ clientId: 'crashing-member', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
const consumer = kafka.consumer(consumerConfig(groupId));
consumer.on(consumer.events.GROUP_JOIN, (event) => {
  process.stdout.write(`${JSON.stringify(event.payload.memberAssignment)}\n`);
});
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({ eachMessage: async () => {} });
