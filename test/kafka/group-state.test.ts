import { describe, expect, it } from 'vitest';
import { ConsumerGroup, type JoinResult } from '../../mock-systems/kafka/groups/group.ts';
import { ErrorCode } from '../../mock-systems/kafka/protocol/errors.ts';

function newGroup(initialRebalanceDelayMs = 0): ConsumerGroup {
  let n = 0;
  return new ConsumerGroup('g', { initialRebalanceDelayMs }, {
    nextMemberId: (clientId) => `${clientId}-${++n}`,
    onGenerationFormed: () => {},
  });
}

const protocols = [{ name: 'RoundRobinAssigner', metadata: Buffer.from([1]) }];
const joinRequest = (memberId: string, sessionTimeoutMs = 10_000, rebalanceTimeoutMs = 10_000) => ({
  memberId,
  clientId: 'client',
  clientHost: '/127.0.0.1',
  sessionTimeoutMs,
  rebalanceTimeoutMs,
  protocolType: 'consumer',
  protocols,
});

describe('consumer group state machine', () => {
  it('forms a generation, rebalances on a new member, and answers heartbeats as Kafka does', async () => {
    const group = newGroup();
    const first = await group.join(joinRequest(''));
    expect(first).toMatchObject({ errorCode: 0, generationId: 1, leaderId: first.memberId, protocolName: 'RoundRobinAssigner' });
    expect(first.members.map((m) => m.memberId)).toEqual([first.memberId]);
    expect(group.state).toBe('CompletingRebalance');
    expect(await group.sync({ memberId: first.memberId, generationId: 1, assignments: [{ memberId: first.memberId, assignment: Buffer.from('all') }] })).toEqual({
      errorCode: 0,
      assignment: Buffer.from('all'),
    });
    expect(group.state).toBe('Stable');
    expect(group.heartbeat(first.memberId, 1)).toBe(ErrorCode.NONE);

    // A second member arrives: the first hears REBALANCE_IN_PROGRESS on its next heartbeat.
    const secondJoin = group.join(joinRequest(''));
    expect(group.state).toBe('PreparingRebalance');
    expect(group.heartbeat(first.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(group.heartbeat(first.memberId, 0)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(group.heartbeat('stranger', 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    const rejoin = await group.join(joinRequest(first.memberId));
    const second = await secondJoin;
    expect(rejoin.generationId).toBe(2);
    expect(second.generationId).toBe(2);
    expect(rejoin.members).toHaveLength(2); // the leader learns everyone's metadata
    expect(second.members).toHaveLength(0);

    // The follower's sync waits for the leader's assignment.
    const followerSync = group.sync({ memberId: second.memberId, generationId: 2, assignments: [] });
    await group.sync({
      memberId: rejoin.memberId,
      generationId: 2,
      assignments: [
        { memberId: rejoin.memberId, assignment: Buffer.from('a') },
        { memberId: second.memberId, assignment: Buffer.from('b') },
      ],
    });
    expect(await followerSync).toEqual({ errorCode: 0, assignment: Buffer.from('b') });
    expect(await group.sync({ memberId: second.memberId, generationId: 1, assignments: [] })).toMatchObject({
      errorCode: ErrorCode.ILLEGAL_GENERATION,
    });

    expect(group.leave(second.memberId)).toBe(ErrorCode.NONE);
    expect(group.leave(second.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(group.state).toBe('PreparingRebalance');
    group.close();
  });

  it('evicts a member whose session times out, and the group empties', async () => {
    const group = newGroup();
    const member = await group.join(joinRequest('', 50));
    await group.sync({ memberId: member.memberId, generationId: 1, assignments: [] });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (group.state === 'Empty') {
          clearInterval(poll);
          resolve();
        }
      }, 10);
    });
    expect(group.members.size).toBe(0);
    expect(group.generationId).toBe(2);
    expect(group.heartbeat(member.memberId, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    group.close();
  });

  it('drops members that do not rejoin within the rebalance timeout', async () => {
    const group = newGroup();
    const a = await group.join(joinRequest('', 10_000, 60));
    await group.sync({ memberId: a.memberId, generationId: 1, assignments: [] });
    const b: JoinResult = await group.join(joinRequest('', 10_000, 60)); // a never rejoins
    expect(b).toMatchObject({ errorCode: 0, generationId: 2, leaderId: b.memberId });
    expect([...group.members.keys()]).toEqual([b.memberId]);
    group.close();
  });

  it('waits the initial rebalance delay so members starting together share the first generation', async () => {
    const group = newGroup(50);
    const [a, b] = await Promise.all([group.join(joinRequest('')), group.join(joinRequest(''))]);
    expect(a.generationId).toBe(1);
    expect(b.generationId).toBe(1);
    expect(a.members.length + b.members.length).toBe(2);
    group.close();
  });

  it('refuses a member whose protocols do not match the group', async () => {
    const group = newGroup();
    await group.join(joinRequest(''));
    const other = await group.join({ ...joinRequest(''), protocols: [{ name: 'Other', metadata: Buffer.alloc(0) }] });
    expect(other.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    group.close();
  });
});
