import { ErrorCode } from '../protocol/errors.ts';
import { committedOffsetBytes, groupBytes, GroupStateBudget } from './budget.ts';
import { ConsumerGroup, type GroupLimits, type GroupTimings } from './group.ts';

export interface CommittedOffset {
  offset: number;
  metadata: string | null;
}

export interface CoordinatorLimits {
  /** Group ids held, with members, handed-out member ids or committed offsets. */
  maxGroups: number;
  /** Members one group accepts (group.max.size). */
  maxGroupSize: number;
  /** Bytes of group state in all groups together (see budget.ts for what counts). */
  maxGroupStateBytes: number;
}

const UNLIMITED: CoordinatorLimits = {
  maxGroups: Number.POSITIVE_INFINITY,
  maxGroupSize: Number.POSITIVE_INFINITY,
  maxGroupStateBytes: Number.POSITIVE_INFINITY,
};

/** What the coordinator holds for clients, and what its limits refused. */
export interface GroupStateStats {
  groups: number;
  members: number;
  /** Member ids handed out with MEMBER_ID_REQUIRED and not yet joined with. */
  pendingMemberIds: number;
  committedOffsets: number;
  /** Group state as counted against `maxGroupStateBytes`. */
  bytes: number;
  peakBytes: number;
  /** JoinGroups answered GROUP_MAX_SIZE_REACHED because the group had `maxGroupSize` members. */
  refusedOverGroupSize: number;
  /** JoinGroups, and partitions of commits, that would have made one group more than `maxGroups`. */
  refusedOverMaxGroups: number;
  /** Joins, handed-out member ids, assignments and committed partitions that would have taken the state over `maxGroupStateBytes`. */
  refusedOverStateBytes: number;
  /** Partitions of commits answered OFFSET_METADATA_TOO_LARGE. */
  refusedOffsetMetadata: number;
  /** Empty groups without offsets dropped to make room for a new group, as Kafka's cleanup would. */
  reclaimedGroups: number;
}

/**
 * The group coordinator: every consumer group and its committed offsets. This single broker
 * is the coordinator of every group. It lives in the grader's process, so what clients make
 * it hold is bounded: groups in all (`maxGroups`), members per group (`maxGroupSize`) and
 * bytes in all (`maxGroupStateBytes`).
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly offsets = new Map<string, Map<string, CommittedOffset>>();
  private readonly pendingRedeliveries = new Map<string, Map<string, number>>();
  /** Every group id the coordinator knows, each charged groupBytes. */
  private readonly held = new Set<string>();
  private readonly groupLimits: GroupLimits;
  private memberCounter = 0;
  private reclaimed = 0;

  constructor(
    private readonly timings: GroupTimings,
    private readonly limits: CoordinatorLimits = UNLIMITED,
  ) {
    this.groupLimits = { maxGroupSize: limits.maxGroupSize, budget: new GroupStateBudget(limits.maxGroupStateBytes) };
  }

  get initialRebalanceDelayMs(): number {
    return this.timings.initialRebalanceDelayMs;
  }

  private get budget(): GroupStateBudget {
    return this.groupLimits.budget;
  }

  group(groupId: string): ConsumerGroup | undefined {
    return this.groups.get(groupId);
  }

  /** The group, created if there is room for one more; null (and counted) if not. */
  getOrCreate(groupId: string): ConsumerGroup | null {
    let group = this.groups.get(groupId);
    if (!group) {
      // A group known by its committed offsets alone is held already.
      if (!this.held.has(groupId) && !this.hold(groupId)) return null;
      group = new ConsumerGroup(
        groupId,
        this.timings,
        {
          nextMemberId: (clientId) => `${clientId || 'member'}-${++this.memberCounter}`,
          onGenerationFormed: (formed) => this.applyRedeliveries(formed.groupId),
        },
        this.groupLimits,
      );
      this.groups.set(groupId, group);
    }
    return group;
  }

  groupIds(): string[] {
    return [...this.held].sort();
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

  /**
   * Stores a committed offset if there is room: false (and counted) when it would make one
   * group too many or take the group state over its budget. Replacing an offset with one no
   * larger always fits.
   */
  commit(groupId: string, topic: string, partition: number, committed: CommittedOffset): boolean {
    const previous = this.offsets.get(groupId)?.get(partitionKey(topic, partition));
    const growth = committedOffsetBytes(topic, committed.metadata) - (previous ? committedOffsetBytes(topic, previous.metadata) : 0);
    if (!this.held.has(groupId) && !this.hold(groupId, growth)) return false;
    if (!this.budget.fits(growth)) {
      this.budget.refusals.overStateBytes++;
      return false;
    }
    this.store(groupId, topic, partition, committed);
    return true;
  }

  /** A commit the broker refused for its metadata (OFFSET_METADATA_TOO_LARGE), for stats(). */
  countOversizedMetadata(): void {
    this.budget.refusals.offsetMetadataTooLarge++;
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
    return this.held.has(groupId);
  }

  deleteGroup(groupId: string): number {
    if (!this.held.has(groupId)) return ErrorCode.GROUP_ID_NOT_FOUND;
    const group = this.groups.get(groupId);
    if (group && group.members.size > 0) return ErrorCode.NON_EMPTY_GROUP;
    this.release(groupId);
    return ErrorCode.NONE;
  }

  forgetTopic(topic: string): void {
    for (const byPartition of this.offsets.values()) {
      for (const [key, committed] of byPartition) {
        if (splitKey(key)[0] !== topic) continue;
        byPartition.delete(key);
        this.budget.charge(-committedOffsetBytes(topic, committed.metadata));
      }
    }
  }

  stats(): GroupStateStats {
    let members = 0;
    let pendingMemberIds = 0;
    let committedOffsets = 0;
    for (const group of this.groups.values()) {
      members += group.members.size;
      pendingMemberIds += group.pendingMemberCount;
    }
    for (const byPartition of this.offsets.values()) committedOffsets += byPartition.size;
    const { refusals } = this.budget;
    return {
      groups: this.held.size,
      members,
      pendingMemberIds,
      committedOffsets,
      bytes: this.budget.used,
      peakBytes: this.budget.peak,
      refusedOverGroupSize: refusals.overGroupSize,
      refusedOverMaxGroups: refusals.overMaxGroups,
      refusedOverStateBytes: refusals.overStateBytes,
      refusedOffsetMetadata: refusals.offsetMetadataTooLarge,
      reclaimedGroups: this.reclaimed,
    };
  }

  /** The group state's bytes counted afresh from what is held: the running count must equal it. */
  recountBytes(): number {
    let bytes = 0;
    for (const groupId of this.held) bytes += groupBytes(groupId);
    for (const group of this.groups.values()) bytes += group.recountBytes();
    for (const byPartition of this.offsets.values()) {
      for (const [key, committed] of byPartition) bytes += committedOffsetBytes(splitKey(key)[0], committed.metadata);
    }
    return bytes;
  }

  /**
   * Moves a group's committed offset and makes its members fetch it again. The offset is
   * written when the next generation forms, so a commit from the old generation cannot
   * overwrite it on the way.
   */
  redeliverFrom(groupId: string, topic: string, partition: number, offset: number): void {
    const group = this.groups.get(groupId);
    if (!group || group.state === 'Empty') {
      this.store(groupId, topic, partition, { offset, metadata: null });
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
      this.store(groupId, topic, partition, { offset, metadata: null });
    }
  }

  /** Stores without asking the limits: for the grader's own hooks, and commits already let in. */
  private store(groupId: string, topic: string, partition: number, committed: CommittedOffset): void {
    if (!this.held.has(groupId)) {
      this.held.add(groupId);
      this.budget.charge(groupBytes(groupId));
    }
    let byPartition = this.offsets.get(groupId);
    if (!byPartition) {
      byPartition = new Map();
      this.offsets.set(groupId, byPartition);
    }
    const key = partitionKey(topic, partition);
    const previous = byPartition.get(key);
    if (previous) this.budget.charge(-committedOffsetBytes(topic, previous.metadata));
    byPartition.set(key, committed);
    this.budget.charge(committedOffsetBytes(topic, committed.metadata));
  }

  /**
   * Takes a new group id in if there is room for it and `alsoNeeded` bytes more (the commit
   * that creates it). At `maxGroups`, or when the bytes do not fit,
   * the groups Kafka's periodic cleanup would have deleted by now (Empty, no committed
   * offsets) are dropped first; if that frees nothing, the new group is refused.
   */
  private hold(groupId: string, alsoNeeded = 0): boolean {
    const bytes = groupBytes(groupId);
    if (this.held.size >= this.limits.maxGroups || !this.budget.fits(bytes + alsoNeeded)) this.reclaimIdleGroups();
    if (this.held.size >= this.limits.maxGroups) {
      this.budget.refusals.overMaxGroups++;
      return false;
    }
    if (!this.budget.fits(bytes + alsoNeeded)) {
      this.budget.refusals.overStateBytes++;
      return false;
    }
    this.held.add(groupId);
    this.budget.charge(bytes);
    return true;
  }

  private reclaimIdleGroups(): void {
    for (const groupId of [...this.held]) {
      const group = this.groups.get(groupId);
      const idle = !group || (group.state === 'Empty' && group.members.size === 0 && group.pendingMemberCount === 0);
      if (idle && (this.offsets.get(groupId)?.size ?? 0) === 0 && !this.pendingRedeliveries.has(groupId)) {
        this.release(groupId);
        this.reclaimed++;
      }
    }
  }

  /** Forgets a group id with its offsets, and gives back what it was charged. */
  private release(groupId: string): void {
    this.groups.get(groupId)?.close();
    this.groups.delete(groupId);
    for (const [key, committed] of this.offsets.get(groupId) ?? []) this.budget.charge(-committedOffsetBytes(splitKey(key)[0], committed.metadata));
    this.offsets.delete(groupId);
    this.pendingRedeliveries.delete(groupId);
    if (this.held.delete(groupId)) this.budget.charge(-groupBytes(groupId));
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf('\u0000');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}
