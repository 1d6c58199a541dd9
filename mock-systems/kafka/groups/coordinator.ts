import { ErrorCode } from '../protocol/errors.ts';
import { ConsumerGroup, type GroupTimings } from './group.ts';

export interface CommittedOffset {
  offset: number;
  metadata: string | null;
}

/**
 * The group coordinator: every consumer group and its committed offsets. This single broker
 * is the coordinator of every group.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly offsets = new Map<string, Map<string, CommittedOffset>>();
  private readonly pendingRedeliveries = new Map<string, Map<string, number>>();
  private memberCounter = 0;

  constructor(private readonly timings: GroupTimings) {}

  get initialRebalanceDelayMs(): number {
    return this.timings.initialRebalanceDelayMs;
  }

  group(groupId: string): ConsumerGroup | undefined {
    return this.groups.get(groupId);
  }

  getOrCreate(groupId: string): ConsumerGroup {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new ConsumerGroup(groupId, this.timings, {
        nextMemberId: (clientId) => `${clientId || 'member'}-${++this.memberCounter}`,
        onGenerationFormed: (formed) => this.applyRedeliveries(formed.groupId),
      });
      this.groups.set(groupId, group);
    }
    return group;
  }

  groupIds(): string[] {
    const ids = new Set([...this.groups.keys(), ...this.offsets.keys()]);
    return [...ids].sort();
  }

  /** Validates a commit; the caller stores the offsets when this returns NONE. */
  commitError(groupId: string, memberId: string, generationId: number): number {
    const group = this.groups.get(groupId);
    if (!group) {
      // No group management: a plain commit (admin.setOffsets / resetOffsets) is allowed.
      return generationId < 0 ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
    }
    return group.commitError(memberId, generationId);
  }

  commit(groupId: string, topic: string, partition: number, committed: CommittedOffset): void {
    let byPartition = this.offsets.get(groupId);
    if (!byPartition) {
      byPartition = new Map();
      this.offsets.set(groupId, byPartition);
    }
    byPartition.set(partitionKey(topic, partition), committed);
  }

  committed(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(groupId)?.get(partitionKey(topic, partition));
  }

  allCommitted(groupId: string): { topic: string; partition: number; committed: CommittedOffset }[] {
    const byPartition = this.offsets.get(groupId);
    if (!byPartition) return [];
    return [...byPartition].map(([key, committed]) => {
      const [topic, partition] = splitKey(key);
      return { topic, partition, committed };
    });
  }

  hasGroup(groupId: string): boolean {
    return this.groups.has(groupId) || this.offsets.has(groupId);
  }

  deleteGroup(groupId: string): number {
    const group = this.groups.get(groupId);
    if (!group && !this.offsets.has(groupId)) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (group && group.members.size > 0) return ErrorCode.NON_EMPTY_GROUP;
    group?.close();
    this.groups.delete(groupId);
    this.offsets.delete(groupId);
    return ErrorCode.NONE;
  }

  forgetTopic(topic: string): void {
    for (const byPartition of this.offsets.values()) {
      for (const key of byPartition.keys()) if (splitKey(key)[0] === topic) byPartition.delete(key);
    }
  }

  /**
   * Moves a group's committed offset and makes its members fetch it again. The offset is
   * written when the next generation forms, so a commit from the old generation cannot
   * overwrite it on the way.
   */
  redeliverFrom(groupId: string, topic: string, partition: number, offset: number): void {
    const group = this.groups.get(groupId);
    if (!group || group.state === 'Empty') {
      this.commit(groupId, topic, partition, { offset, metadata: null });
      return;
    }
    let pending = this.pendingRedeliveries.get(groupId);
    if (!pending) {
      pending = new Map();
      this.pendingRedeliveries.set(groupId, pending);
    }
    pending.set(partitionKey(topic, partition), offset);
    if (group.state === 'PreparingRebalance') return;
    group.forceRebalance();
  }

  close(): void {
    for (const group of this.groups.values()) group.close();
  }

  private applyRedeliveries(groupId: string): void {
    const pending = this.pendingRedeliveries.get(groupId);
    if (!pending) return;
    this.pendingRedeliveries.delete(groupId);
    for (const [key, offset] of pending) {
      const [topic, partition] = splitKey(key);
      this.commit(groupId, topic, partition, { offset, metadata: null });
    }
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf('\u0000');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}
