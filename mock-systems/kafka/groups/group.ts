import { ErrorCode } from '../protocol/errors.ts';
import { GroupStateBudget, memberBytes, pendingMemberBytes } from './budget.ts';

/** Group states with the names DescribeGroups reports. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leaderId: string;
  memberId: string;
  members: { memberId: string; metadata: Buffer }[];
}

export interface SyncResult {
  errorCode: number;
  assignment: Buffer;
}

export interface Member {
  memberId: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  assignment: Buffer;
  awaitingJoin: ((result: JoinResult) => void) | null;
  awaitingSync: ((result: SyncResult) => void) | null;
  sessionTimer: NodeJS.Timeout | null;
  /** What this member is charged against the group state budget. */
  bytes: number;
}

export interface GroupTimings {
  initialRebalanceDelayMs: number;
}

/** What a group may hold: members (group.max.size), and bytes from a budget all groups share. */
export interface GroupLimits {
  maxGroupSize: number;
  budget: GroupStateBudget;
}

export interface GroupHooks {
  /** Runs when a generation forms, before members hear about it (redelivery lands here). */
  onGenerationFormed(group: ConsumerGroup): void;
  nextMemberId(clientId: string): string;
}

const EMPTY = Buffer.alloc(0);

const UNLIMITED: GroupLimits = { maxGroupSize: Number.POSITIVE_INFINITY, budget: new GroupStateBudget(Number.POSITIVE_INFINITY) };

/**
 * One consumer group's membership state machine, following Apache Kafka's coordinator:
 * Empty → PreparingRebalance (joins gathered) → CompletingRebalance (waiting for the leader's
 * assignment) → Stable, with session timeouts evicting members that stop heartbeating.
 */
export class ConsumerGroup {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, Member>();
  /** Member ids handed out with MEMBER_ID_REQUIRED whose holder has not joined yet. */
  private readonly pendingMemberIds = new Map<string, NodeJS.Timeout>();
  private joinTimer: NodeJS.Timeout | null = null;
  private initialDelayDeadline = 0;
  private inInitialDelay = false;

  constructor(
    readonly groupId: string,
    private readonly timings: GroupTimings,
    private readonly hooks: GroupHooks,
    private readonly limits: GroupLimits = UNLIMITED,
  ) {}

  /** Member ids handed out and not yet joined with. */
  get pendingMemberCount(): number {
    return this.pendingMemberIds.size;
  }

  join(request: {
    memberId: string;
    clientId: string;
    clientHost: string;
    sessionTimeoutMs: number;
    rebalanceTimeoutMs: number;
    protocolType: string;
    protocols: GroupProtocol[];
  }): Promise<JoinResult> {
    return new Promise((resolve) => {
      const fail = (errorCode: number) =>
        resolve({ errorCode, generationId: -1, protocolName: '', leaderId: '', memberId: request.memberId, members: [] });

      if (!this.admitJoin(request.memberId)) return resolve(refusedJoin());
      if (request.protocols.length === 0 || request.protocolType === '') {
        return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
      }
      if (this.members.size > 0 && !this.supportsProtocols(request.protocolType, request.protocols)) {
        return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
      }

      const reserved = this.pendingMemberIds.has(request.memberId);
      if (request.memberId === '' || reserved) {
        const member: Member = {
          memberId: request.memberId === '' ? this.hooks.nextMemberId(request.clientId) : request.memberId,
          clientId: request.clientId,
          clientHost: request.clientHost,
          sessionTimeoutMs: request.sessionTimeoutMs,
          rebalanceTimeoutMs: request.rebalanceTimeoutMs,
          protocolType: request.protocolType,
          protocols: request.protocols,
          assignment: EMPTY,
          awaitingJoin: resolve,
          awaitingSync: null,
          sessionTimer: null,
          bytes: 0,
        };
        const bytes = memberBytes(member);
        const { budget } = this.limits;
        if (!budget.fits(bytes - (reserved ? pendingMemberBytes(request.memberId) : 0))) {
          this.forgetPendingMemberId(request.memberId);
          budget.refusals.overStateBytes++;
          return resolve(refusedJoin());
        }
        this.forgetPendingMemberId(request.memberId);
        member.bytes = bytes;
        budget.charge(bytes);
        this.members.set(member.memberId, member);
        this.protocolType = request.protocolType;
        if (this.leaderId === null) this.leaderId = member.memberId;
        this.prepareRebalance();
        this.maybeCompleteJoin();
        return;
      }

      const member = this.members.get(request.memberId);
      if (!member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);

      const rejoined = { ...member, protocols: request.protocols, clientHost: request.clientHost };
      if (!this.limits.budget.fits(memberBytes(rejoined) - member.bytes)) {
        // Kafka removes a member it refuses; the client starts over without a member id.
        this.removeMember(member);
        this.limits.budget.refusals.overStateBytes++;
        return resolve(refusedJoin());
      }
      const sameMetadata = sameProtocols(member.protocols, request.protocols);
      member.protocols = request.protocols;
      member.sessionTimeoutMs = request.sessionTimeoutMs;
      member.rebalanceTimeoutMs = request.rebalanceTimeoutMs;
      member.clientHost = request.clientHost;
      this.recharge(member);

      switch (this.state) {
        case 'PreparingRebalance':
          this.replaceJoinWaiter(member, resolve);
          this.maybeCompleteJoin();
          return;
        case 'CompletingRebalance':
        case 'Stable':
          if (sameMetadata && this.leaderId !== member.memberId && this.state === 'Stable') {
            // A follower rejoining with nothing new gets the current generation back.
            this.heartbeatReceived(member);
            return resolve(this.joinResultFor(member, false));
          }
          this.replaceJoinWaiter(member, resolve);
          this.prepareRebalance();
          this.maybeCompleteJoin();
          return;
        default:
          return fail(ErrorCode.UNKNOWN_MEMBER_ID);
      }
    });
  }

  sync(request: {
    memberId: string;
    generationId: number;
    assignments: { memberId: string; assignment: Buffer }[];
  }): Promise<SyncResult> {
    return new Promise((resolve) => {
      const member = this.members.get(request.memberId);
      if (!member) return resolve({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
      if (request.generationId !== this.generationId) {
        return resolve({ errorCode: ErrorCode.ILLEGAL_GENERATION, assignment: EMPTY });
      }
      switch (this.state) {
        case 'PreparingRebalance':
          return resolve({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
        case 'Stable':
          this.heartbeatReceived(member);
          return resolve({ errorCode: ErrorCode.NONE, assignment: member.assignment });
        case 'CompletingRebalance': {
          member.awaitingSync?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
          member.awaitingSync = resolve;
          this.heartbeatReceived(member);
          if (member.memberId === this.leaderId) {
            const given = new Map(request.assignments.map((a) => [a.memberId, a.assignment]));
            let growth = 0;
            for (const each of this.members.values()) growth += (given.get(each.memberId)?.length ?? 0) - each.assignment.length;
            if (!this.limits.budget.fits(growth)) {
              this.limits.budget.refusals.overStateBytes++;
              this.failAssignment();
              return;
            }
            for (const each of this.members.values()) this.setAssignment(each, given.get(each.memberId) ?? EMPTY);
            this.state = 'Stable';
            for (const each of this.members.values()) {
              const waiter = each.awaitingSync;
              each.awaitingSync = null;
              waiter?.({ errorCode: ErrorCode.NONE, assignment: each.assignment });
            }
          }
          return;
        }
        default:
          return resolve({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
      }
    });
  }

  /**
   * Hands out a member id for a client's first join (JoinGroup v4+, KIP-394). The client
   * joins again with it; an id nobody comes back with is forgotten after the session timeout.
   * Null when the group refuses a new member (GROUP_MAX_SIZE_REACHED).
   */
  reserveMemberId(clientId: string, sessionTimeoutMs: number): string | null {
    if (!this.admitJoin('')) return null;
    const memberId = this.hooks.nextMemberId(clientId);
    const { budget } = this.limits;
    const bytes = pendingMemberBytes(memberId);
    if (!budget.fits(bytes)) {
      budget.refusals.overStateBytes++;
      return null;
    }
    budget.charge(bytes);
    const expiry = setTimeout(() => this.forgetPendingMemberId(memberId), sessionTimeoutMs);
    expiry.unref();
    this.pendingMemberIds.set(memberId, expiry);
    return memberId;
  }

  /**
   * Kafka's acceptJoiningMember (group.max.size): an Empty group takes anyone; while joins are
   * gathered, a member already waiting, or anyone while fewer than the maximum wait; otherwise
   * a member, or anyone while the group has fewer than the maximum. Like Kafka, a refused
   * member (or handed-out id) is removed, and the client is told to start over without an id.
   */
  private admitJoin(memberId: string): boolean {
    const member = this.members.get(memberId);
    const { maxGroupSize } = this.limits;
    let accepted: boolean;
    switch (this.state) {
      case 'Empty':
      case 'Dead':
        accepted = true;
        break;
      case 'PreparingRebalance':
        accepted = member?.awaitingJoin != null || this.awaitingJoinCount() < maxGroupSize;
        break;
      default:
        accepted = member !== undefined || this.members.size < maxGroupSize;
    }
    if (accepted) return true;
    this.limits.budget.refusals.overGroupSize++;
    this.forgetPendingMemberId(memberId);
    if (member) this.removeMember(member);
    return false;
  }

  heartbeat(memberId: string, generationId: number): number {
    if (this.state === 'Empty' || this.state === 'Dead') return ErrorCode.UNKNOWN_MEMBER_ID;
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.heartbeatReceived(member);
    return this.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(memberId: string): number {
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMember(member);
    return ErrorCode.NONE;
  }

  /** Commit validation for a member of this group (generation >= 0). */
  commitError(memberId: string, generationId: number): number {
    if (this.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (generationId < 0 && this.state === 'Empty') return ErrorCode.NONE;
    if (this.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.heartbeatReceived(member);
    return ErrorCode.NONE;
  }

  /** Starts a rebalance as if membership had changed (fault hook and redelivery). */
  forceRebalance(): void {
    if (this.state === 'Stable' || this.state === 'CompletingRebalance') this.prepareRebalance();
  }

  /** What the group's members and handed-out ids come to, counted afresh (for the budget's checks). */
  recountBytes(): number {
    let bytes = 0;
    for (const member of this.members.values()) bytes += memberBytes(member);
    for (const memberId of this.pendingMemberIds.keys()) bytes += pendingMemberBytes(memberId);
    return bytes;
  }

  /** Stops the group's timers and gives back what it was charged. */
  close(): void {
    if (this.joinTimer) clearTimeout(this.joinTimer);
    for (const memberId of [...this.pendingMemberIds.keys()]) this.forgetPendingMemberId(memberId);
    for (const member of this.members.values()) {
      if (member.sessionTimer) clearTimeout(member.sessionTimer);
      this.limits.budget.charge(-member.bytes);
      member.bytes = 0;
    }
    this.state = 'Dead';
  }

  private forgetPendingMemberId(memberId: string): void {
    const expiry = this.pendingMemberIds.get(memberId);
    if (!expiry) return;
    clearTimeout(expiry);
    this.pendingMemberIds.delete(memberId);
    this.limits.budget.charge(-pendingMemberBytes(memberId));
  }

  private recharge(member: Member): void {
    const bytes = memberBytes(member);
    this.limits.budget.charge(bytes - member.bytes);
    member.bytes = bytes;
  }

  private setAssignment(member: Member, assignment: Buffer): void {
    member.assignment = assignment;
    this.recharge(member);
  }

  /**
   * The leader's assignments would take the group state over its budget. Kafka, when the
   * group's record is too large for its log, answers every member's SyncGroup with
   * UNKNOWN_SERVER_ERROR, clears the assignments and rebalances; so does this broker.
   */
  private failAssignment(): void {
    for (const member of this.members.values()) {
      this.setAssignment(member, EMPTY);
      const waiter = member.awaitingSync;
      member.awaitingSync = null;
      waiter?.({ errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, assignment: EMPTY });
    }
    this.prepareRebalance();
  }

  private awaitingJoinCount(): number {
    let count = 0;
    for (const member of this.members.values()) if (member.awaitingJoin) count++;
    return count;
  }

  private replaceJoinWaiter(member: Member, resolve: (result: JoinResult) => void): void {
    // A member that joins twice only hears back on its latest request.
    member.awaitingJoin?.({
      errorCode: ErrorCode.UNKNOWN_MEMBER_ID,
      generationId: -1,
      protocolName: '',
      leaderId: '',
      memberId: member.memberId,
      members: [],
    });
    member.awaitingJoin = resolve;
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    member.sessionTimer = null;
  }

  private prepareRebalance(): void {
    if (this.state === 'PreparingRebalance') {
      if (this.inInitialDelay) this.extendInitialDelay();
      return;
    }
    if (this.state === 'CompletingRebalance') {
      for (const member of this.members.values()) {
        this.setAssignment(member, EMPTY);
        const waiter = member.awaitingSync;
        member.awaitingSync = null;
        waiter?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
      }
    }
    const wasEmpty = this.state === 'Empty';
    this.state = 'PreparingRebalance';
    if (wasEmpty && this.timings.initialRebalanceDelayMs > 0) {
      // Give the other members of a starting group a moment to arrive, like
      // group.initial.rebalance.delay.ms, so they share the first generation.
      this.inInitialDelay = true;
      this.initialDelayDeadline = Date.now() + this.maxRebalanceTimeout();
      this.armJoinTimer(this.timings.initialRebalanceDelayMs);
    } else {
      this.armJoinTimer(this.maxRebalanceTimeout());
    }
  }

  private extendInitialDelay(): void {
    const remaining = this.initialDelayDeadline - Date.now();
    this.armJoinTimer(Math.max(0, Math.min(this.timings.initialRebalanceDelayMs, remaining)));
  }

  private armJoinTimer(ms: number): void {
    if (this.joinTimer) clearTimeout(this.joinTimer);
    this.joinTimer = setTimeout(() => this.onJoinDeadline(), ms);
    this.joinTimer.unref();
  }

  private onJoinDeadline(): void {
    this.joinTimer = null;
    if (this.state !== 'PreparingRebalance') return;
    if (this.inInitialDelay) {
      this.inInitialDelay = false;
      if (!this.allMembersJoined()) {
        this.armJoinTimer(this.maxRebalanceTimeout());
        return;
      }
    } else {
      // Members that did not rejoin within the rebalance timeout are out of the group.
      for (const member of [...this.members.values()]) {
        if (!member.awaitingJoin) this.dropMember(member);
      }
    }
    this.completeJoin();
  }

  private maybeCompleteJoin(): void {
    if (this.state === 'PreparingRebalance' && !this.inInitialDelay && this.allMembersJoined()) {
      this.completeJoin();
    }
  }

  private allMembersJoined(): boolean {
    for (const member of this.members.values()) if (!member.awaitingJoin) return false;
    return true;
  }

  private completeJoin(): void {
    if (this.joinTimer) clearTimeout(this.joinTimer);
    this.joinTimer = null;
    this.generationId++;
    if (this.members.size === 0) {
      this.state = 'Empty';
      this.protocolName = null;
      this.leaderId = null;
      this.hooks.onGenerationFormed(this);
      return;
    }
    if (this.leaderId === null || !this.members.has(this.leaderId)) {
      this.leaderId = this.members.keys().next().value ?? null;
    }
    this.protocolName = this.selectProtocol();
    this.state = 'CompletingRebalance';
    this.hooks.onGenerationFormed(this);
    for (const member of this.members.values()) {
      const waiter = member.awaitingJoin;
      member.awaitingJoin = null;
      this.heartbeatReceived(member);
      waiter?.(this.joinResultFor(member, true));
    }
  }

  private joinResultFor(member: Member, includeMembersForLeader: boolean): JoinResult {
    const isLeader = member.memberId === this.leaderId;
    const protocolName = this.protocolName ?? '';
    return {
      errorCode: ErrorCode.NONE,
      generationId: this.generationId,
      protocolName,
      leaderId: this.leaderId ?? '',
      memberId: member.memberId,
      members:
        isLeader && includeMembersForLeader
          ? [...this.members.values()].map((m) => ({
              memberId: m.memberId,
              metadata: m.protocols.find((p) => p.name === protocolName)?.metadata ?? EMPTY,
            }))
          : [],
    };
  }

  /** The protocol every member supports that most members prefer, like Kafka's vote. */
  private selectProtocol(): string {
    const members = [...this.members.values()];
    const candidates = members[0]!.protocols
      .map((p) => p.name)
      .filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
    const votes = new Map<string, number>();
    for (const member of members) {
      const choice = member.protocols.find((p) => candidates.includes(p.name));
      if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
    }
    let best = candidates[0] ?? '';
    for (const [name, count] of votes) if (count > (votes.get(best) ?? 0)) best = name;
    return best;
  }

  private supportsProtocols(protocolType: string, protocols: GroupProtocol[]): boolean {
    if (this.protocolType !== null && this.protocolType !== protocolType) return false;
    const members = [...this.members.values()];
    return protocols.some((p) => members.every((m) => m.protocols.some((q) => q.name === p.name)));
  }

  private heartbeatReceived(member: Member): void {
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    member.sessionTimer = setTimeout(() => this.onSessionExpired(member), member.sessionTimeoutMs);
    member.sessionTimer.unref();
  }

  private onSessionExpired(member: Member): void {
    member.sessionTimer = null;
    // Members waiting on a join or sync answer are alive by definition.
    if (member.awaitingJoin || member.awaitingSync) return;
    if (this.members.get(member.memberId) !== member) return;
    this.removeMember(member);
  }

  private removeMember(member: Member): void {
    this.dropMember(member);
    switch (this.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.prepareRebalance();
        this.maybeCompleteJoin();
        break;
      case 'PreparingRebalance':
        this.maybeCompleteJoin();
        break;
      default:
        break;
    }
  }

  private dropMember(member: Member): void {
    if (member.sessionTimer) clearTimeout(member.sessionTimer);
    member.sessionTimer = null;
    this.members.delete(member.memberId);
    this.limits.budget.charge(-member.bytes);
    member.bytes = 0;
    const joinWaiter = member.awaitingJoin;
    member.awaitingJoin = null;
    joinWaiter?.({
      errorCode: ErrorCode.UNKNOWN_MEMBER_ID,
      generationId: -1,
      protocolName: '',
      leaderId: '',
      memberId: member.memberId,
      members: [],
    });
    const syncWaiter = member.awaitingSync;
    member.awaitingSync = null;
    syncWaiter?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    if (this.leaderId === member.memberId) this.leaderId = this.members.keys().next().value ?? null;
  }

  private maxRebalanceTimeout(): number {
    let max = 0;
    for (const member of this.members.values()) max = Math.max(max, member.rebalanceTimeoutMs);
    return max;
  }
}

function refusedJoin(): JoinResult {
  return { errorCode: ErrorCode.GROUP_MAX_SIZE_REACHED, generationId: -1, protocolName: '', leaderId: '', memberId: '', members: [] };
}

function sameProtocols(a: GroupProtocol[], b: GroupProtocol[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => p.name === b[i]!.name && p.metadata.equals(b[i]!.metadata))
  );
}
