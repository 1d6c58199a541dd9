import { promisify } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { unzip } from 'node:zlib';
import kafkajs, { type IHeaders } from 'kafkajs';
import { scenarioKafka } from './kafka.ts';
import type { ReaderReply, ReaderRequest, TopicRecord } from './topic-reader.ts';

/**
 * The thread that decodes what a submission wrote to a topic (topic-reader.ts says why it is a
 * thread of its own). Reads every partition of `topics` from the start up to the end it had when
 * the read began, and posts the records back, or why it could not.
 */

const request = workerData as ReaderRequest;

/** A batch that inflates to more than the reader may hold: said as the reason the topics cannot be read. */
class InflatesPastLimit extends Error {}

const inflate = promisify(unzip);
// The codec table is not among the names Node finds in kafkajs's CommonJS exports.
const { CompressionCodecs, CompressionTypes } = kafkajs;

/**
 * kafkajs inflates a gzip batch into one buffer before it hands out a record, and a buffer lives
 * outside the thread's heap limit: a megabyte batch, which a real Kafka takes, inflates to a
 * gigabyte, and a fetch holds a dozen such batches. Inflation stops at the byte limit instead,
 * since a batch past it could not be held anyway. This is the worker's own copy of kafkajs: the
 * grader's producers keep the library's codec.
 */
CompressionCodecs[CompressionTypes.GZIP] = () => ({
  compress: () => {
    throw new Error('the topic reader writes nothing');
  },
  async decompress(batch: Buffer) {
    try {
      return await inflate(batch, { maxOutputLength: request.maxBytes });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new InflatesPastLimit(`a gzip batch inflates past ${request.maxBytes / 2 ** 20} MiB`);
      throw error;
    }
  },
});

async function readToEnd({ bootstrapServers, topics, maxBytes }: ReaderRequest): Promise<ReaderReply> {
  const kafka = scenarioKafka(bootstrapServers);
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `lab-scenario-reader-${Date.now()}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, rebalanceTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  try {
    const existing = new Set(await admin.listTopics());
    const pending = new Map<string, bigint>();
    for (const topic of topics.filter((name) => existing.has(name))) {
      for (const entry of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(entry.high) > BigInt(entry.low)) pending.set(`${topic}/${entry.partition}`, BigInt(entry.high));
      }
    }
    if (pending.size === 0) return { records: [] };
    const records: TopicRecord[] = [];
    let bytes = 0;
    await consumer.connect();
    for (const topic of new Set([...pending.keys()].map((key) => key.slice(0, key.lastIndexOf('/'))))) {
      await consumer.subscribe({ topic, fromBeginning: true });
    }
    return await new Promise<ReaderReply>((resolve, reject) => {
      // A batch kafkajs cannot decode (one inflating past the limit, a codec it lacks) ends the
      // consumer for good, and the read would wait for its deadline. A crash kafkajs restarts
      // from (a coordinator that moved, retries used up) is left to it.
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart || causeOf(payload.error) instanceof InflatesPastLimit) {
          resolve({ unreadable: `${topics.join(' and ')} cannot be read: ${causeOf(payload.error).message}` });
        }
      });
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            const key = `${topic}/${partition}`;
            const end = pending.get(key);
            if (end === undefined || BigInt(message.offset) >= end) return;
            const record = {
              topic,
              partition,
              offset: message.offset,
              key: message.key?.toString('utf8') ?? null,
              value: message.value?.toString('utf8') ?? null,
              headers: headerText(message.headers),
            };
            bytes += (record.key?.length ?? 0) + (record.value?.length ?? 0) + Object.entries(record.headers).reduce((sum, [name, value]) => sum + name.length + value.length, 0);
            if (bytes > maxBytes) return resolve({ unreadable: `${topics.join(' and ')} hold more than ${maxBytes / 2 ** 20} MiB of records` });
            records.push(record);
            if (BigInt(message.offset) + 1n >= end) {
              pending.delete(key);
              if (pending.size === 0) resolve({ records });
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => {});
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

/** The error at the bottom of kafkajs's chain of causes. */
function causeOf(error: Error): Error {
  const { cause } = error as { cause?: unknown };
  return cause instanceof Error ? causeOf(cause) : error;
}

/** Header values as UTF-8 text; of a header given more than once, the first. */
function headerText(headers: IHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const single = Array.isArray(value) ? value[0] : value;
    if (single !== undefined) text[name] = single.toString();
  }
  return text;
}

parentPort!.postMessage(
  await readToEnd(request).catch((error: unknown): ReaderReply => ({ failed: error instanceof Error ? error.message : String(error) })),
);
