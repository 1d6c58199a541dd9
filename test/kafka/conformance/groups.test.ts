import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Admin, Consumer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consumerConfig, eventually, startCluster, uniqueName, type ConformanceCluster } from './cluster.ts';

interface Member {
  consumer: Consumer;
  /** Partitions of the topic this member was given by its latest join. */
  assigned: () => number[];
}

describe('consumer groups', () => {
  let cluster: ConformanceCluster;
  let admin: Admin;
  const running: Consumer[] = [];
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    admin = cluster.kafka().admin();
    await admin.connect();
  });

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await Promise.all(running.splice(0).map((c) => c.disconnect()));
  });

  afterAll(async () => {
    await admin?.disconnect();
    await cluster?.close();
  });

  async function topicWith(partitions: number): Promise<string> {
    const topic = uniqueName('groups');
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }] });
    return topic;
  }

  async function join(groupId: string, topic: string): Promise<Member> {
    const consumer = cluster.kafka().consumer(consumerConfig(groupId));
    let assignment: number[] = [];
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      assignment = [...(event.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
    });
    running.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async () => {} });
    return { consumer, assigned: () => assignment };
  }

  /** Every partition owned by exactly one member, and every member owning at least one. */
  function splitEvenly(members: { assigned: () => number[] }[], partitions: number): boolean {
    const all = members.flatMap((m) => m.assigned()).sort((a, b) => a - b);
    return (
      members.every((m) => m.assigned().length > 0) &&
      JSON.stringify(all) === JSON.stringify(Array.from({ length: partitions }, (_, i) => i))
    );
  }

  it('splits partitions among several members and describes the group as Stable', async () => {
    const topic = await topicWith(6);
    const groupId = uniqueName('g-three');
    const members = await Promise.all([join(groupId, topic), join(groupId, topic), join(groupId, topic)]);
    await eventually('three members share six partitions', () => splitEvenly(members, 6));

    await eventually('group is Stable with three members', async () => {
      const { groups } = await admin.describeGroups([groupId]);
      return groups[0]!.state === 'Stable' && groups[0]!.members.length === 3;
    });
    const { groups } = await admin.describeGroups([groupId]);
    expect(groups[0]).toMatchObject({ groupId, protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
  });

  it('rebalances when a member joins and when one leaves', async () => {
    const topic = await topicWith(4);
    const groupId = uniqueName('g-join-leave');
    const first = await join(groupId, topic);
    await eventually('the only member owns every partition', () => first.assigned().length === 4);

    const second = await join(groupId, topic);
    await eventually('two members share the partitions', () => splitEvenly([first, second], 4));

    await second.consumer.disconnect();
    running.splice(running.indexOf(second.consumer), 1);
    await eventually('the remaining member owns every partition again', () => first.assigned().length === 4);
  });

  it('evicts a crashed member after its session timeout and hands its partitions over', async () => {
    const topic = await topicWith(4);
    const groupId = uniqueName('g-crash');
    const survivor = await join(groupId, topic);
    await eventually('survivor owns every partition', () => survivor.assigned().length === 4);

    const script = fileURLToPath(new URL('./crashing-member.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, cluster.brokers.join(','), groupId, topic], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let childAssignment: number[] = [];
    child.stdout!.setEncoding('utf8').on('data', (line: string) => {
      const last = line.trim().split('\n').pop()!;
      childAssignment = (JSON.parse(last) as Record<string, number[]>)[topic] ?? [];
    });
    await eventually(
      'the second member (a separate process) takes half of the partitions',
      () => childAssignment.length > 0 && survivor.assigned().length === 4 - childAssignment.length,
    );

    child.kill('SIGKILL'); // no LeaveGroup: only the session timeout can notice
    await eventually('the survivor owns every partition again', () => survivor.assigned().length === 4, 25_000);
  });
});
