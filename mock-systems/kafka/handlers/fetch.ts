import type { BrokerState, RequestContext } from '../broker-state.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { FetchPartitionResult, FetchRequestData as FetchRequest } from '../protocol/messages/fetch.ts';
import type { Reader } from '../protocol/reader.ts';
import { readRequest, writeResponse } from './codec.ts';

/**
 * Fetch with long polling: answer at once when min_bytes are available (or something is
 * wrong), otherwise wait for an append to one of the requested partitions or max_wait.
 */
export async function handleFetch(body: Reader, context: RequestContext, broker: BrokerState): Promise<Buffer> {
  const request = readRequest<FetchRequest>(body, context);
  if (broker.faults.fetchDelayMs > 0) await sleep(broker.faults.fetchDelayMs, context.signal);
  const deadline = Date.now() + Math.max(0, request.maxWaitMs);
  for (;;) {
    const { topics, bytes, anyError } = readPartitions(request, broker);
    const remaining = deadline - Date.now();
    if (bytes >= request.minBytes || anyError || remaining <= 0 || context.signal.aborted) {
      return writeResponse(context, { sessionId: NO_FETCH_SESSION, responses: topics });
    }
    await waitForAppend(request, broker, remaining, context.signal);
  }
}

/** Session id 0 tells the client that no incremental fetch session was made. */
const NO_FETCH_SESSION = 0;

function readPartitions(request: FetchRequest, broker: BrokerState) {
  let bytes = 0;
  let anyError = false;
  const topics = request.topics.map((topic) => ({
    topic: topic.topic,
    partitions: topic.partitions.map((p): FetchPartitionResult => {
      const failed = (errorCode: number, highWatermark = -1, logStartOffset = -1): FetchPartitionResult => {
        anyError = true;
        return { ...NOTHING, partitionIndex: p.partition, errorCode, highWatermark, lastStableOffset: highWatermark, logStartOffset };
      };
      const log = broker.topics.partition(topic.topic, p.partition);
      if (!log) return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      if (!broker.faults.isLeaderAvailable(topic.topic, p.partition)) return failed(ErrorCode.NOT_LEADER_OR_FOLLOWER);
      if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.highWatermark) {
        return failed(ErrorCode.OFFSET_OUT_OF_RANGE, log.highWatermark, log.logStartOffset);
      }
      const budget = Math.min(p.partitionMaxBytes, request.maxBytes - bytes);
      const batches = budget > 0 || bytes === 0 ? log.read(p.fetchOffset, Math.max(budget, 0)) : [];
      const records = Buffer.concat(batches);
      bytes += records.length;
      return {
        ...NOTHING,
        partitionIndex: p.partition,
        errorCode: ErrorCode.NONE,
        highWatermark: log.highWatermark,
        lastStableOffset: log.highWatermark,
        logStartOffset: log.logStartOffset,
        records,
        size: records.length,
      };
    }),
  }));
  return { topics, bytes, anyError };
}

const NOTHING = { abortedTransactions: [] as [], records: Buffer.alloc(0), size: 0 };

function waitForAppend(request: FetchRequest, broker: BrokerState, ms: number, signal: AbortSignal): Promise<void> {
  const wanted = new Set(request.topics.flatMap((t) => t.partitions.map((p) => `${t.topic}\u0000${p.partition}`)));
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unsubscribe = broker.topics.onAppend((topic, partition) => {
      if (wanted.has(`${topic}\u0000${partition}`)) done();
    });
    signal.addEventListener('abort', done);
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
