import { decodeBatchRecords, readBatchHeader, withBaseOffset } from '../protocol/record-batch.ts';

export interface StoredBatch {
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  /** The batch as the producer sent it, base offset rewritten. */
  bytes: Buffer;
}

/**
 * One partition's log: batches in offset order, held in memory for the life of the broker.
 * A single broker means no replication, so the high watermark is the log end offset.
 */
export class PartitionLog {
  private readonly batches: StoredBatch[] = [];
  private nextOffset = 0;
  private bytesStored = 0;
  private startOffset = 0;

  /** The first offset still readable: 0 until DeleteRecords moves it forward. */
  get logStartOffset(): number {
    return this.startOffset;
  }

  get logEndOffset(): number {
    return this.nextOffset;
  }

  get highWatermark(): number {
    return this.nextOffset;
  }

  get sizeInBytes(): number {
    return this.bytesStored;
  }

  get storedBatches(): readonly StoredBatch[] {
    return this.batches;
  }

  /** Appends a verified batch; returns the offset given to its first record. */
  append(batch: Buffer): number {
    const header = readBatchHeader(batch);
    const baseOffset = this.nextOffset;
    const bytes = withBaseOffset(batch, baseOffset);
    this.batches.push({
      baseOffset,
      lastOffset: baseOffset + header.lastOffsetDelta,
      maxTimestamp: header.maxTimestamp,
      bytes,
    });
    this.nextOffset = baseOffset + header.lastOffsetDelta + 1;
    this.bytesStored += bytes.length;
    return baseOffset;
  }

  /**
   * Makes offsets below `offset` unreadable, as DeleteRecords does, and drops the batches that
   * hold nothing readable any more. A batch that straddles the new start is kept whole (Kafka
   * also deletes whole segments only); fetches still begin at the start offset.
   */
  deleteBefore(offset: number): void {
    if (offset <= this.startOffset) return;
    this.startOffset = offset;
    let drop = 0;
    while (drop < this.batches.length && this.batches[drop]!.lastOffset < offset) {
      this.bytesStored -= this.batches[drop]!.bytes.length;
      drop++;
    }
    this.batches.splice(0, drop);
  }

  /**
   * Whole batches starting with the one that holds `fetchOffset`, up to `maxBytes`. With
   * `atLeastOne` the first batch is returned even if larger than `maxBytes`, so a consumer can
   * always make progress (Kafka's minOneMessage). The buffers are the stored ones, not copies.
   */
  read(fetchOffset: number, maxBytes: number, atLeastOne = true): Buffer[] {
    let index = this.indexOfBatchContaining(fetchOffset);
    const out: Buffer[] = [];
    let total = 0;
    while (index < this.batches.length) {
      const batch = this.batches[index]!;
      if (total + batch.bytes.length > maxBytes && !(atLeastOne && out.length === 0)) break;
      out.push(batch.bytes);
      total += batch.bytes.length;
      index++;
    }
    return out;
  }

  /** The first record whose timestamp reaches `timestamp`, or null if none does. */
  offsetForTimestamp(timestamp: number): { offset: number; timestamp: number } | null {
    for (const batch of this.batches) {
      if (batch.maxTimestamp < timestamp) continue;
      try {
        const record = decodeBatchRecords(batch.bytes).find((r) => r.timestamp >= timestamp);
        if (record) return { offset: record.offset, timestamp: record.timestamp };
      } catch {
        // A batch this broker cannot decompress is answered at batch granularity.
        return { offset: batch.baseOffset, timestamp: batch.maxTimestamp };
      }
    }
    return null;
  }

  private indexOfBatchContaining(offset: number): number {
    let low = 0;
    let high = this.batches.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.batches[mid]!.lastOffset < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
