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

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  partition(name: string, partition: number): PartitionLog | undefined {
    return this.topics.get(name)?.partitions[partition];
  }

  names(): string[] {
    return [...this.topics.keys()].sort();
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
    return this.topics.delete(name);
  }

  append(name: string, partition: number, batch: Buffer): number {
    const log = this.partition(name, partition);
    if (!log) throw new Error(`no partition ${name}-${partition}`);
    const baseOffset = log.append(batch);
    for (const listener of this.appendListeners) listener(name, partition);
    return baseOffset;
  }

  onAppend(listener: AppendListener): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }
}
