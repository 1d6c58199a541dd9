import { Worker } from 'node:worker_threads';

/**
 * Reads back what a submission wrote to Kafka topics, in a worker thread with a deadline and a
 * heap of its own.
 *
 * The records come from untrusted code, and kafkajs decodes a record's headers in quadratic time
 * and without bounds: on a real Kafka (the docker provider), which takes records of any number of
 * headers, one megabyte of them holds a decoding thread for minutes, and a compressed batch that
 * inflates to gigabytes of headers fills its heap. In the grader's own thread either would stop
 * every grading and its signal handlers with it. A worker can be ended at its deadline, busy or
 * not (`terminate()`), and one that runs out of heap ends alone.
 */

/** A record read back; key, value and header values as UTF-8 text. */
export interface TopicRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export interface ReadLimits {
  timeoutMs?: number;
  /** The worker's old-generation heap. */
  heapMb?: number;
  /** Key, value and header text over all records read. */
  maxBytes?: number;
}

/** What the worker is asked (its workerData). */
export interface ReaderRequest {
  bootstrapServers: string;
  topics: string[];
  maxBytes: number;
}

/** What the worker answers: the records, records it would not hold, or a failure of the read itself. */
export type ReaderReply = { records: TopicRecord[] } | { unreadable: string } | { failed: string };

/** What the topics hold cannot be read within the limits: a fact about what was written to them. */
export class UnreadableTopicsError extends Error {
  override name = 'UnreadableTopicsError';
}

export const READ_LIMITS = { timeoutMs: 15_000, heapMb: 256, maxBytes: 32 * 2 ** 20 } as const;

const WORKER = new URL('./topic-reader-worker.mjs', import.meta.url);

/**
 * Every record of `topics`, from the start to the end each partition had when the read began,
 * sorted by topic, partition and offset. Topics that do not exist read as empty. Rejects with
 * UnreadableTopicsError when the records cannot be read within `limits`, and with a plain Error
 * when the broker cannot be read at all.
 */
export async function readTopics(bootstrapServers: string, topics: string[], limits: ReadLimits = {}): Promise<TopicRecord[]> {
  const { timeoutMs, heapMb, maxBytes } = { ...READ_LIMITS, ...limits };
  const what = topics.join(' and ');
  const worker = new Worker(WORKER, {
    workerData: { bootstrapServers, topics, maxBytes } satisfies ReaderRequest,
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
    // Kept from the grader's own output, which may be the report (`--format json`).
    stdout: true,
    stderr: true,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const reply = await new Promise<ReaderReply>((resolve, reject) => {
      timer = setTimeout(() => reject(new UnreadableTopicsError(`reading ${what} did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
      worker.once('message', resolve);
      worker.once('error', (error: Error & { code?: string }) =>
        reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new UnreadableTopicsError(`reading ${what} took more than ${heapMb} MB of memory`) : error),
      );
      worker.once('exit', (code) => reject(new Error(`the reader of ${what} exited with code ${code} before it answered`)));
    });
    if ('unreadable' in reply) throw new UnreadableTopicsError(reply.unreadable);
    if ('failed' in reply) throw new Error(`reading ${what} failed: ${reply.failed}`);
    return reply.records.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}
