import type { BrokerState, RequestContext } from '../broker-state.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { decodeFetchRequest, encodeFetchResponse, type FetchPartitionResult, type FetchRequest } from '../protocol/messages/fetch.ts';
import type { Reader } from '../protocol/reader.ts';

/**
 * Fetch with long polling: answer at once when min_bytes are available (or something is
 * wrong), otherwise wait for an append to one of the requested partitions or max_wait.
 */
export async function handleFetch(body: Reader, context: RequestContext, broker: BrokerState): Promise<Buffer> {
  const request = decodeFetchRequest(body);
  if (broker.faults.fetchDelayMs > 0) await sleep(broker.faults.fetchDelayMs, context.signal);
  const deadline = Date.now() + Math.max(0, request.maxWaitMs);
  for (;;) {
    const { topics, bytes, anyError } = readPartitions(request, broker);
    const remaining = deadline - Date.now();
    if (bytes >= request.minBytes || anyError || remaining <= 0 || context.signal.aborted) {
      return encodeFetchResponse(topics);
    }
    await waitForAppend(request, broker, remaining, context.signal);
  }
}

function readPartitions(request: FetchRequest, broker: BrokerState) {
  let bytes = 0;
  let anyError = false;
  const topics = request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((p): FetchPartitionResult => {
      const failed = (errorCode: number, highWatermark = -1): FetchPartitionResult => {
        anyError = true;
        return { partition: p.partition, errorCode, highWatermark, lastStableOffset: highWatermark, batches: [] };
      };
      const log = broker.topics.partition(topic.name, p.partition);
      if (!log) return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      if (!broker.faults.isLeaderAvailable(topic.name, p.partition)) return failed(ErrorCode.NOT_LEADER_OR_FOLLOWER);
      if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.highWatermark) {
        return failed(ErrorCode.OFFSET_OUT_OF_RANGE, log.highWatermark);
      }
      const budget = Math.min(p.maxBytes, request.maxBytes - bytes);
      const batches = budget > 0 || bytes === 0 ? log.read(p.fetchOffset, Math.max(budget, 0)) : [];
      for (const batch of batches) bytes += batch.length;
      return {
        partition: p.partition,
        errorCode: ErrorCode.NONE,
        highWatermark: log.highWatermark,
        lastStableOffset: log.highWatermark,
        batches,
      };
    }),
  }));
  return { topics, bytes, anyError };
}

function waitForAppend(request: FetchRequest, broker: BrokerState, ms: number, signal: AbortSignal): Promise<void> {
  const wanted = new Set(request.topics.flatMap((t) => t.partitions.map((p) => `${t.name}\u0000${p.partition}`)));
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
