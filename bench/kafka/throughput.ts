/**
 * Produce and consume throughput (1 KiB messages) and produce-to-consume latency through
 * kafkajs. Runs against the embedded broker started in its own process (so broker and
 * clients do not share a JavaScript thread), or against KAFKA_BROKERS when set, so the
 * reference broker can be measured with the same command.
 *
 *   npx tsx bench/kafka/throughput.ts
 *   KAFKA_BROKERS=localhost:9092 npx tsx bench/kafka/throughput.ts
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

const MESSAGE_BYTES = 1024;
const MESSAGES = 50_000;
const PER_SEND = 500;
const PARTITIONS = 4;
const LATENCY_SAMPLES = 500;

interface Row {
  measure: string;
  value: string;
  detail: string;
}

async function main(): Promise<void> {
  const external = process.env.KAFKA_BROKERS?.trim();
  const embedded = external ? null : await startBrokerProcess();
  const brokers = external ? external.split(',') : [embedded!.bootstrapServers];
  const target = external ? `KAFKA_BROKERS=${external}` : 'embedded broker (own process)';
  const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
  const run = Date.now().toString(36);
  const topic = `bench-throughput-${run}`;
  const latencyTopic = `bench-latency-${run}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic, numPartitions: PARTITIONS, replicationFactor: 1 },
      { topic: latencyTopic, numPartitions: 1, replicationFactor: 1 },
    ],
  });

  const rows: Row[] = [];
  const payload = Buffer.alloc(MESSAGE_BYTES, 'x');
  const megabytes = (MESSAGES * MESSAGE_BYTES) / (1024 * 1024);

  // Produce: batches of PER_SEND messages, spread over the partitions by key, acks=all.
  const producer = kafka.producer();
  await producer.connect();
  const produceStart = process.hrtime.bigint();
  for (let sent = 0; sent < MESSAGES; sent += PER_SEND) {
    await producer.send({
      topic,
      messages: Array.from({ length: PER_SEND }, (_, i) => ({ key: String((sent + i) % 64), value: payload })),
    });
  }
  const produceSeconds = secondsSince(produceStart);
  rows.push(
    { measure: 'produce', value: `${fmt(MESSAGES / produceSeconds)} msg/s`, detail: `${fmt(megabytes / produceSeconds, 1)} MB/s, ${MESSAGES} x 1 KiB in sends of ${PER_SEND}, acks=-1` },
  );

  // Consume everything from the beginning with a fresh group.
  const consumer = kafka.consumer({ groupId: `bench-${run}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let consumed = 0;
  let consumeStart = 0n;
  const allConsumed = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        if (consumeStart === 0n) consumeStart = process.hrtime.bigint();
        consumed += batch.messages.length;
        if (consumed >= MESSAGES) resolve();
      },
    });
  });
  const joinedAt = process.hrtime.bigint();
  await allConsumed;
  const consumeSeconds = secondsSince(consumeStart);
  rows.push({
    measure: 'consume',
    value: `${fmt(MESSAGES / consumeSeconds)} msg/s`,
    detail: `${fmt(megabytes / consumeSeconds, 1)} MB/s from first batch to last (group join took ${fmt(Number(consumeStart - joinedAt) / 1e6)} ms)`,
  });
  await consumer.disconnect();

  // Latency: one message at a time, time from send() to eachMessage on a running consumer.
  const latencyConsumer = kafka.consumer({ groupId: `bench-latency-${run}`, maxWaitTimeInMs: 5000 });
  await latencyConsumer.connect();
  await latencyConsumer.subscribe({ topic: latencyTopic, fromBeginning: true });
  const samples: number[] = [];
  let onReceive: (() => void) | null = null;
  let ready: () => void = () => {};
  const firstFetch = new Promise<void>((resolve) => (ready = resolve));
  latencyConsumer.on(latencyConsumer.events.FETCH_START, () => ready());
  await latencyConsumer.run({ eachMessage: async () => onReceive?.() });
  await firstFetch;
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const received = new Promise<void>((resolve) => (onReceive = resolve));
    const start = process.hrtime.bigint();
    await producer.send({ topic: latencyTopic, messages: [{ value: payload }] });
    await received;
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  rows.push({
    measure: 'produce-to-consume latency',
    value: `p50 ${fmt(pct(samples, 50), 2)} ms`,
    detail: `p95 ${fmt(pct(samples, 95), 2)} ms, p99 ${fmt(pct(samples, 99), 2)} ms, max ${fmt(samples.at(-1)!, 2)} ms over ${LATENCY_SAMPLES} sends (long-polling consumer, acks=-1)`,
  });

  await latencyConsumer.disconnect();
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic, latencyTopic] }).catch(() => {});
  await admin.disconnect();
  embedded?.child.kill('SIGTERM');

  report(rows, target);
}

function report(rows: Row[], target: string): void {
  const table = [
    '| measure | result | detail |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.measure} | ${r.value} | ${r.detail} |`),
  ].join('\n');
  process.stdout.write(`\nKafka bench against ${target}\n\n${table}\n`);

  const cpus = os.cpus();
  const facts = [
    `- date: ${new Date().toISOString()}`,
    `- command: \`${process.env.KAFKA_BROKERS ? `KAFKA_BROKERS=${process.env.KAFKA_BROKERS} ` : ''}npx tsx bench/kafka/throughput.ts\``,
    `- target: ${target}; client: kafkajs 2.2.4, one producer and one consumer in one process, the broker in another`,
    `- machine: ${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()}`,
    `- runtime: Node ${process.version}`,
  ].join('\n');
  const markdown = `# Kafka broker bench results\n\nWritten by \`bench/kafka/throughput.ts\`; rerun to refresh. The broker runs in its own Node process; the kafkajs producer and consumer share another. On this 2-core machine kafkajs's own encoding and decoding is a large share of the cost (a CPU profile of a same-process run showed the broker's CRC32C and copying under 10%).\n\n${facts}\n\n${table}\n`;
  const path = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
  writeFileSync(path, markdown);
  process.stdout.write(`\nwritten to ${path}\n`);
}

async function startBrokerProcess(): Promise<{ bootstrapServers: string; child: ChildProcess }> {
  const cli = fileURLToPath(new URL('../../mock-systems/kafka/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.setEncoding('utf8');
  for await (const chunk of child.stdout!) {
    output += chunk as string;
    const match = /bootstrap servers (\S+)/.exec(output);
    if (match) return { bootstrapServers: match[1]!, child };
  }
  await once(child, 'exit');
  throw new Error(`the broker process exited before it was ready: ${output}`);
}

function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

await main();
