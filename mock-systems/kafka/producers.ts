import { ErrorCode } from './protocol/errors.ts';

/**
 * Idempotent-producer bookkeeping, as Kafka keeps it per producer id and partition: the last
 * sequence written and the last few batches, so a retried batch whose acknowledgement was
 * lost is answered with the offset it already got instead of being written twice.
 */
const RETAINED_BATCHES = 5; // Kafka keeps the last five, matching max.in.flight for idempotence

interface RetainedBatch {
  firstSequence: number;
  lastSequence: number;
  baseOffset: number;
}

interface PartitionSequences {
  epoch: number;
  lastSequence: number;
  recent: RetainedBatch[];
}

export type SequenceVerdict =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'reject'; errorCode: number };

export interface ProducerBatchIdentity {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export class ProducerRegistry {
  private nextProducerId = 1000;
  private readonly sequences = new Map<string, PartitionSequences>();

  allocateProducerId(): { producerId: number; producerEpoch: number } {
    return { producerId: this.nextProducerId++, producerEpoch: 0 };
  }

  /** Decides what to do with an idempotent batch before it is appended. */
  check(topic: string, partition: number, batch: ProducerBatchIdentity): SequenceVerdict {
    const state = this.sequences.get(key(batch.producerId, topic, partition));
    const lastSequence = wrap(batch.baseSequence + batch.recordCount - 1);
    if (!state || batch.producerEpoch > state.epoch) {
      // A new producer (or a bumped epoch) must start at sequence 0.
      return batch.baseSequence === 0
        ? { kind: 'append' }
        : { kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
    }
    if (batch.producerEpoch < state.epoch) {
      return { kind: 'reject', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH };
    }
    const retained = state.recent.find(
      (r) => r.firstSequence === batch.baseSequence && r.lastSequence === lastSequence,
    );
    if (retained) return { kind: 'duplicate', baseOffset: retained.baseOffset };
    if (batch.baseSequence !== wrap(state.lastSequence + 1)) {
      return { kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
    }
    return { kind: 'append' };
  }

  recordAppend(topic: string, partition: number, batch: ProducerBatchIdentity, baseOffset: number): void {
    const id = key(batch.producerId, topic, partition);
    let state = this.sequences.get(id);
    if (!state || batch.producerEpoch > state.epoch) {
      state = { epoch: batch.producerEpoch, lastSequence: -1, recent: [] };
      this.sequences.set(id, state);
    }
    const lastSequence = wrap(batch.baseSequence + batch.recordCount - 1);
    state.lastSequence = lastSequence;
    state.recent.push({ firstSequence: batch.baseSequence, lastSequence, baseOffset });
    if (state.recent.length > RETAINED_BATCHES) state.recent.shift();
  }

  forgetTopic(topic: string): void {
    for (const id of this.sequences.keys()) {
      if (id.startsWith(`${topic}\u0000`)) this.sequences.delete(id);
    }
  }
}

function key(producerId: number, topic: string, partition: number): string {
  return `${topic}\u0000${partition}\u0000${producerId}`;
}

/** Sequences wrap from Int32 max back to 0. */
function wrap(sequence: number): number {
  return sequence > 0x7fffffff ? sequence - 0x80000000 : sequence;
}
