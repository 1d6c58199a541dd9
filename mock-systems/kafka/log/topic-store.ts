import { PartitionLog } from './partition-log.ts';

export interface Topic {
  name: string;
  partitions: PartitionLog[];
  configs: Map<string, string | null>;
}

/** Kafka's rule: 1–249 characters of [a-zA-Z0-9._-], and not "." or "..". */
export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return 'topic name is empty';
  if (name.length > 249) return 'topic name is longer than 249 characters';
  if (name === '.' || name === '..') return 'topic name cannot be "." or ".."';
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    return `topic name "${name}" has characters other than ASCII letters, digits, ".", "_" and "-"`;
  }
  return null;
}

type AppendListener = (topic: string, partition: number) => void;

/** Every topic the broker holds, and a signal for fetches waiting on new data. */
export class TopicStore {
  private readonly topics = new Map<string, Topic>();
  private readonly appendListeners = new Set<AppendListener>();
  private bytes = 0;

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  partition(name: string, partition: number): PartitionLog | undefined {
    return this.topics.get(name)?.partitions[partition];
  }

  names(): string[] {
    return [...this.topics.keys()].sort();
  }

  /** Partitions of every topic together. */
  partitionCount(): number {
    let count = 0;
    for (const topic of this.topics.values()) count += topic.partitions.length;
    return count;
  }

  /** Record bytes stored in every partition together. */
  storedBytes(): number {
    return this.bytes;
  }

  create(name: string, partitionCount: number, configs = new Map<string, string | null>()): Topic {
    const topic: Topic = {
      name,
      partitions: Array.from({ length: partitionCount }, () => new PartitionLog()),
      configs,
    };
    this.topics.set(name, topic);
    return topic;
  }

  addPartitions(name: string, newTotal: number): void {
    const topic = this.topics.get(name);
    if (!topic) return;
    while (topic.partitions.length < newTotal) topic.partitions.push(new PartitionLog());
  }

  delete(name: string): boolean {
    const topic = this.topics.get(name);
    for (const log of topic?.partitions ?? []) this.bytes -= log.sizeInBytes;
    return this.topics.delete(name);
  }

  append(name: string, partition: number, batch: Buffer): number {
    const log = this.partition(name, partition);
    if (!log) throw new Error(`no partition ${name}-${partition}`);
    const before = log.sizeInBytes;
    const baseOffset = log.append(batch);
    this.bytes += log.sizeInBytes - before;
    for (const listener of this.appendListeners) listener(name, partition);
    return baseOffset;
  }

  /** DeleteRecords: records below `offset` become unreadable and their bytes are freed. */
  deleteRecordsBefore(name: string, partition: number, offset: number): void {
    const log = this.partition(name, partition);
    if (!log) throw new Error(`no partition ${name}-${partition}`);
    const before = log.sizeInBytes;
    log.deleteBefore(offset);
    this.bytes -= before - log.sizeInBytes;
  }

  onAppend(listener: AppendListener): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }
}
