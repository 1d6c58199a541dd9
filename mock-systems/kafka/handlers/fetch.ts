import type { BrokerState, RequestContext } from '../broker-state.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { FetchPartitionResult, FetchRequestData as FetchRequest } from '../protocol/messages/fetch.ts';
import type { Reader } from '../protocol/reader.ts';
import { readRequest, writeResponseChunks } from './codec.ts';

/**
 * Fetch with long polling: answer at once when min_bytes are available (or something is
 * wrong), otherwise wait for an append to one of the requested partitions or max_wait.
 *
 * What one request can cost is bounded as in Kafka: a partition listed several times is read
 * once, the response carries at most fetch.max.bytes of records whatever max_bytes the client
 * asks for, and the batches are the stored ones, sent by reference rather than copied.
 */
export async function handleFetch(body: Reader, context: RequestContext, broker: BrokerState): Promise<Buffer[]> {
  const request = readRequest<FetchRequest>(body, context);
  const wanted = partitionsOf(request);
  // KafkaApis.handleFetchRequest: min(request max_bytes, fetch.max.bytes), and min_bytes no more than that.
  const maxBytes = Math.min(request.maxBytes, broker.config.fetchMaxBytes);
  const minBytes = Math.min(request.minBytes, maxBytes);
  if (broker.faults.fetchDelayMs > 0) await sleep(broker.faults.fetchDelayMs, context.signal);
  const deadline = Date.now() + Math.max(0, request.maxWaitMs);
  for (;;) {
    const { topics, bytes, anyError } = readPartitions(wanted, maxBytes, broker);
    const remaining = deadline - Date.now();
    if (bytes >= minBytes || anyError || remaining <= 0 || context.signal.aborted) {
      return writeResponseChunks(context, { sessionId: NO_FETCH_SESSION, responses: topics });
    }
    await waitForAppend(wanted, broker, remaining, context.signal);
  }
}

/** Session id 0 tells the client that no incremental fetch session was made. */
const NO_FETCH_SESSION = 0;

interface WantedPartition {
  topic: string;
  partition: number;
  fetchOffset: number;
  partitionMaxBytes: number;
}

/**
 * One entry per partition, as Kafka's FetchRequest.fetchData builds them: a LinkedHashMap keyed
 * by topic and partition, so a partition listed again keeps its first place and takes the
 * later entry's offset and limit. Listing a partition 300 times costs one read.
 */
function partitionsOf(request: FetchRequest): WantedPartition[] {
  const byKey = new Map<string, WantedPartition>();
  for (const topic of request.topics) {
    for (const p of topic.partitions) {
      byKey.set(`${topic.topic}\u0000${p.partition}`, {
        topic: topic.topic,
        partition: p.partition,
        fetchOffset: p.fetchOffset,
        partitionMaxBytes: p.partitionMaxBytes,
      });
    }
  }
  return [...byKey.values()];
}

/**
 * Reads the partitions in request order, as ReplicaManager.readFromLog does: the first
 * partition that has data may exceed the limits by its first batch (so a consumer always makes
 * progress); after it, each partition gets what fits in its own limit and in what is left of
 * the response's, and one whose first batch does not fit comes back empty (Kafka's
 * firstEntryIncomplete). Kafka may end a partition's data with the start of a batch, which
 * clients drop; this broker sends whole batches only.
 */
function readPartitions(wanted: WantedPartition[], maxBytes: number, broker: BrokerState) {
  let bytes = 0;
  let anyError = false;
  let firstWithData = true;
  const topics: { topic: string; partitions: FetchPartitionResult[] }[] = [];
  for (const p of wanted) {
    const result = ((): FetchPartitionResult => {
      const failed = (errorCode: number, highWatermark = -1, logStartOffset = -1): FetchPartitionResult => {
        anyError = true;
        return { ...NOTHING, partitionIndex: p.partition, errorCode, highWatermark, lastStableOffset: highWatermark, logStartOffset };
      };
      const log = broker.topics.partition(p.topic, p.partition);
      if (!log) return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      if (!broker.faults.isLeaderAvailable(p.topic, p.partition)) return failed(ErrorCode.NOT_LEADER_OR_FOLLOWER);
      if (p.fetchOffset < log.logStartOffset || p.fetchOffset > log.highWatermark) {
        return failed(ErrorCode.OFFSET_OUT_OF_RANGE, log.highWatermark, log.logStartOffset);
      }
      const budget = Math.max(0, Math.min(p.partitionMaxBytes, maxBytes - bytes));
      const records = log.read(p.fetchOffset, budget, firstWithData);
      const size = records.reduce((sum, batch) => sum + batch.length, 0);
      if (size > 0) firstWithData = false;
      bytes += size;
      return {
        ...NOTHING,
        partitionIndex: p.partition,
        errorCode: ErrorCode.NONE,
        highWatermark: log.highWatermark,
        lastStableOffset: log.highWatermark,
        logStartOffset: log.logStartOffset,
        records,
        size,
      };
    })();
    // FetchResponse.toMessage: consecutive partitions of one topic share a topic entry, in request order.
    const last = topics.at(-1);
    if (last?.topic === p.topic) last.partitions.push(result);
    else topics.push({ topic: p.topic, partitions: [result] });
  }
  return { topics, bytes, anyError };
}

const NOTHING = { abortedTransactions: [] as [], records: [] as Buffer[], size: 0 };

function waitForAppend(wanted: WantedPartition[], broker: BrokerState, ms: number, signal: AbortSignal): Promise<void> {
  const keys = new Set(wanted.map((p) => `${p.topic}\u0000${p.partition}`));
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unsubscribe = broker.topics.onAppend((topic, partition) => {
      if (keys.has(`${topic}\u0000${partition}`)) done();
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
