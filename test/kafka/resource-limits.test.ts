import net from 'node:net';
import { ConfigResourceTypes, Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../mock-systems/platform/random.ts';
import { GroupCoordinator } from '../../mock-systems/kafka/groups/coordinator.ts';
import type { ConsumerGroup, JoinResult } from '../../mock-systems/kafka/groups/group.ts';
import { DEFAULT_LIMITS, startKafkaBroker, type KafkaBroker } from '../../mock-systems/kafka/index.ts';
import { ApiKey } from '../../mock-systems/kafka/protocol/api-keys.ts';
import { ErrorCode } from '../../mock-systems/kafka/protocol/errors.ts';
import { consumerConfig, eventually } from './conformance/cluster.ts';
import { fetchV4Frame, RawClient, readApiVersions, readFetchV4, requestFrame, type FetchEntry, type FetchedPartition } from './raw-client.ts';

/**
 * The broker runs in the grader's process while untrusted submissions talk to it: these are the
 * red team's attacks (redteam/kafka-fetch-amplify-04, redteam/kafka-frame-bomb-04) at small
 * scale, each with the bound it must now keep and a well-behaved client that must not notice,
 * and the same for consumer-group and offset state. Bounds are read from the broker's own
 * counters (`network()`, `groupState()`), not from timing or RSS.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

/** A socket that writes and never reads, as the red team's submission did. */
async function connectNonReader(port: number): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.pause();
  return socket;
}

function flushed(socket: net.Socket, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => socket.write(bytes, () => resolve()));
}

function storedBytes(broker: KafkaBroker, topic: string): number {
  return broker.topics().find((t) => t.name === topic)!.partitions.reduce((sum, p) => sum + p.sizeInBytes, 0);
}

describe('a Fetch that lists a partition many times or asks for 2 GB', () => {
  let broker: KafkaBroker;
  const fetchMaxBytes = 64 * KiB;

  beforeAll(async () => {
    broker = await startKafkaBroker({ port: 0, fetchMaxBytes });
    broker.createTopic('repeated', 1);
    broker.append('repeated', 0, [{ value: Buffer.alloc(100 * KiB, 1) }]);
    broker.append('repeated', 0, [{ value: Buffer.alloc(100 * KiB, 2) }]);
    broker.createTopic('spread', 3);
    for (const partition of [0, 1, 2]) broker.append('spread', partition, [{ value: Buffer.alloc(30 * KiB, partition) }]);
  });

  afterAll(async () => {
    await broker?.close();
  });

  async function fetch(topic: string, entries: FetchEntry[], maxBytes?: number): Promise<{ partitions: FetchedPartition[]; frameBytes: number }> {
    const client = await RawClient.connect(broker.port);
    client.write(fetchV4Frame(1, topic, entries, maxBytes));
    const response = await client.nextFrame();
    client.close();
    const frameBytes = response!.body.remaining + 4;
    return { partitions: readFetchV4(response!.body), frameBytes };
  }

  it('answers a partition listed 300 times once, as Kafka keys fetch data by partition', async () => {
    const entries = Array.from({ length: 300 }, () => ({ partition: 0, offset: 0, maxBytes: 4 * MiB }));
    const { partitions, frameBytes } = await fetch('repeated', entries);
    expect(partitions).toHaveLength(1);
    expect(partitions[0]).toMatchObject({ topic: 'repeated', partition: 0, errorCode: ErrorCode.NONE, highWatermark: 2 });
    // One copy of what the partition holds, where 300 used to be sent (and built in memory).
    expect(frameBytes).toBeLessThan(2 * storedBytes(broker, 'repeated'));
  });

  it('takes the last entry for a partition listed again, in the place of its first', async () => {
    const { partitions } = await fetch('spread', [
      { partition: 1, offset: 0, maxBytes: 0 },
      { partition: 0, offset: 0, maxBytes: MiB },
      { partition: 1, offset: 1, maxBytes: MiB },
    ]);
    // Kafka's LinkedHashMap.put: partition 1 stays first, and is read from offset 1 (the end: nothing).
    expect(partitions.map((p) => [p.partition, p.recordBytes > 0])).toEqual([
      [1, false],
      [0, true],
    ]);
  });

  it('sends at most fetchMaxBytes of records whatever max_bytes the client asks for', async () => {
    const entries = [0, 1, 2].map((partition) => ({ partition, offset: 0, maxBytes: MiB }));
    const { partitions } = await fetch('spread', entries, 0x7fffffff);
    const sizes = partitions.map((p) => p.recordBytes);
    // Two 30 KiB batches fit in 64 KiB, the third does not; it comes back empty with its high watermark.
    expect(sizes[0]).toBeGreaterThan(30 * KiB);
    expect(sizes[1]).toBe(sizes[0]);
    expect(sizes[2]).toBe(0);
    expect(partitions[2]).toMatchObject({ errorCode: ErrorCode.NONE, highWatermark: 1 });
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(fetchMaxBytes);
  });

  it('still sends a first batch larger than every limit, so a consumer makes progress', async () => {
    const { partitions } = await fetch('repeated', [{ partition: 0, offset: 0, maxBytes: 1 }], 1);
    expect(partitions[0]!.recordBytes).toBeGreaterThan(100 * KiB);
    expect(partitions[0]!.recordBytes).toBeLessThan(2 * 100 * KiB);
  });
});

describe('clients that do not read their responses', () => {
  let broker: KafkaBroker;
  let kafka: Kafka;
  let producer: Producer;
  const consumers: Consumer[] = [];
  const hostile: net.Socket[] = [];
  const batchBytes = 900 * 1000;

  beforeAll(async () => {
    broker = await startKafkaBroker({ port: 0 });
    broker.createTopic('amplify', 1);
    broker.append('amplify', 0, [{ value: Buffer.alloc(batchBytes, 0x61) }]);
    broker.append('amplify', 0, [{ value: Buffer.alloc(batchBytes, 0x61) }]);
    kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 10 } });
    producer = kafka.producer();
    await producer.connect();
  });

  afterEach(async () => {
    for (const socket of hostile.splice(0)) socket.destroy();
    await Promise.all(consumers.splice(0).map((c) => c.disconnect()));
  });

  afterAll(async () => {
    await producer?.disconnect();
    await broker?.close();
  });

  /** kafkajs produces and consumes a message on its own connections. */
  async function roundTrip(topic: string): Promise<void> {
    broker.createTopic(topic, 1);
    await producer.send({ topic, messages: [{ value: 'still served' }] });
    const received: string[] = [];
    const consumer = kafka.consumer(consumerConfig(`${topic}-group`));
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message.value!.toString()) });
    await eventually('kafkajs consumed the message', () => received.length === 1);
    expect(received).toEqual(['still served']);
  }

  it('reads nothing more from a client while its response is unsent, and serves a kafkajs client meanwhile', async () => {
    const socket = await connectNonReader(broker.port);
    hostile.push(socket);
    // The red team's requests: the partition 300 times, 2 GB asked for, 40 times, replies never read.
    const entries = Array.from({ length: 300 }, () => ({ partition: 0, offset: 0, maxBytes: 4 * MiB }));
    const requests = Array.from({ length: 40 }, (_, i) => fetchV4Frame(i + 1, 'amplify', entries));
    await flushed(socket, Buffer.concat(requests));
    await eventually('a response is held back', () => broker.network().queuedResponseBytes > 0);

    await roundTrip('served-while-muted');

    const stats = broker.network();
    const oneResponse = 2 * batchBytes + 64 * KiB;
    // At most the one response the client has not taken; without muting, every answer piles up.
    expect(stats.peakQueuedResponseBytes).toBeLessThanOrEqual(oneResponse);
    // The requests behind it wait in the kernel: the broker has read at most one socket read's worth.
    expect(stats.peakQueuedRequestBytes).toBeLessThanOrEqual(64 * KiB + requests[0]!.length);
    expect(stats.peakQueuedRequestBytes).toBeLessThan(Buffer.concat(requests).length);
  });

  it('closes the client with the most unread when all unread responses go over the budget', async () => {
    const small = await startKafkaBroker({ port: 0, maxMessageBytes: 1 * MiB, fetchMaxBytes: 1 * MiB, maxQueuedResponseBytes: 2 * MiB + 64 * KiB });
    try {
      small.createTopic('amplify', 1);
      small.append('amplify', 0, [{ value: Buffer.alloc(batchBytes, 0x61) }]);
      const entries = [{ partition: 0, offset: 0, maxBytes: 4 * MiB }];
      const sockets: net.Socket[] = [];
      for (let i = 0; i < 3; i++) {
        const socket = await connectNonReader(small.port);
        sockets.push(socket);
        hostile.push(socket);
        await flushed(socket, Buffer.concat(Array.from({ length: 60 }, (_, n) => fetchV4Frame(n + 1, 'amplify', entries))));
      }
      await eventually('one reader closed', () => small.network().closedOverResponseBudget >= 1);
      const stats = small.network();
      expect(stats.queuedResponseBytes).toBeLessThanOrEqual(2 * MiB + 64 * KiB);
      expect(stats.peakQueuedResponseBytes).toBeLessThanOrEqual(2 * MiB + 64 * KiB);
      const bystander = await RawClient.connect(small.port);
      bystander.write(requestFrame(ApiKey.ApiVersions, 2, 7));
      expect((await bystander.nextFrame())?.correlationId).toBe(7);
      bystander.close();
    } finally {
      await small.close();
    }
  });
});

describe('partial frames and connection counts', () => {
  it('refuses by default a frame over 16 MiB, such as the 100 MiB frame the red team held open', async () => {
    const broker = await startKafkaBroker({ port: 0 });
    try {
      for (const size of [100 * MiB, DEFAULT_LIMITS.maxFrameBytes + 1]) {
        const client = await RawClient.connect(broker.port);
        const head = Buffer.alloc(4);
        head.writeInt32BE(size);
        client.write(Buffer.concat([head, Buffer.alloc(64 * KiB)]));
        await client.waitForClose();
      }
      expect(broker.network().peakQueuedRequestBytes).toBeLessThanOrEqual(4 + 64 * KiB);
    } finally {
      await broker.close();
    }
  });

  describe('with small limits', () => {
    let broker: KafkaBroker;
    let kafka: Kafka;
    let producer: Producer;
    const frameLimit = 64 * KiB;
    const budget = 256 * KiB;

    beforeAll(async () => {
      broker = await startKafkaBroker({ port: 0, maxFrameBytes: frameLimit, maxQueuedRequestBytes: budget, maxConnections: 32 });
      kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 10 } });
      producer = kafka.producer();
      await producer.connect();
    });

    afterAll(async () => {
      await producer?.disconnect();
      await broker?.close();
    });

    it('closes the connections holding the most unfinished frames when all together go over the budget', async () => {
      const bombs: net.Socket[] = [];
      const closed: net.Socket[] = [];
      // Eight connections each hold 60 KiB of a 64 KiB frame that never completes: 480 KiB.
      for (let i = 0; i < 8; i++) {
        const socket = net.connect({ host: '127.0.0.1', port: broker.port });
        socket.on('error', () => {});
        socket.once('close', () => closed.push(socket));
        await new Promise((resolve) => socket.once('connect', resolve));
        const head = Buffer.alloc(4);
        head.writeInt32BE(frameLimit);
        await flushed(socket, Buffer.concat([head, Buffer.alloc(60 * KiB)]));
        bombs.push(socket);
      }
      // 480 KiB must shrink to 256: at least four 60 KiB holders go.
      await eventually('the largest holders are closed', () => closed.length >= 4);
      const stats = broker.network();
      expect(stats.closedOverRequestBudget).toBeGreaterThanOrEqual(4);
      expect(stats.queuedRequestBytes).toBeLessThanOrEqual(budget);
      expect(stats.peakQueuedRequestBytes).toBeLessThanOrEqual(budget);

      // A well-behaved client, connected before and after, is served.
      await producer.send({ topic: 'after-the-bomb', messages: [{ value: 'served' }] });
      expect(broker.messages('after-the-bomb').map((m) => m.valueText)).toEqual(['served']);
      const late = await RawClient.connect(broker.port);
      late.write(requestFrame(ApiKey.ApiVersions, 2, 3));
      const answer = await late.nextFrame();
      expect(readApiVersions(answer!.body).errorCode).toBe(ErrorCode.NONE);
      late.close();
      for (const socket of bombs) socket.destroy();
    });

    it('closes a connection over maxConnections as it arrives and keeps serving the open ones', async () => {
      const limited = await startKafkaBroker({ port: 0, maxConnections: 4 });
      try {
        const open = [];
        for (let i = 0; i < 4; i++) open.push(await RawClient.connect(limited.port));
        await eventually('four connections open', () => limited.connectionCount === 4);
        const refused = [await RawClient.connect(limited.port), await RawClient.connect(limited.port)];
        for (const client of refused) {
          await client.waitForClose();
          expect(await client.nextFrame()).toBeNull();
        }
        expect(limited.network()).toMatchObject({ connections: 4, refusedConnections: 2 });

        open[0]!.write(requestFrame(ApiKey.ApiVersions, 2, 1));
        expect((await open[0]!.nextFrame())?.correlationId).toBe(1);

        // A freed place is taken again.
        open.pop()!.close();
        await eventually('a place is free', () => limited.connectionCount === 3);
        const next = await RawClient.connect(limited.port);
        next.write(requestFrame(ApiKey.ApiVersions, 2, 2));
        expect((await next.nextFrame())?.correlationId).toBe(2);
        for (const client of [...open, next]) client.close();
      } finally {
        await limited.close();
      }
    });
  });
});

interface JoinResponse {
  errorCode: number;
  generationId: number;
  leaderId: string;
  memberId: string;
  members: { memberId: string; metadata: Buffer }[];
}

interface CommitResponse {
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

/** JoinGroup v3 (before the MEMBER_ID_REQUIRED handshake) or v5 (with it), one protocol. */
function join(client: RawClient, groupId: string, options: { version?: 3 | 5; memberId?: string; metadata?: Buffer } = {}): Promise<JoinResponse> {
  return client.call<JoinResponse>(ApiKey.JoinGroup, options.version ?? 3, {
    groupId,
    sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 30_000,
    memberId: options.memberId ?? '',
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: options.metadata ?? Buffer.from('subscription') }],
  });
}

/** An admin-style OffsetCommit v5 (no generation, no member); the error of each partition, in order. */
async function commitOffsets(client: RawClient, groupId: string, topic: string, partitions: { partition: number; offset: number; metadata: string | null }[]): Promise<number[]> {
  const response = await client.call<CommitResponse>(ApiKey.OffsetCommit, 5, {
    groupId,
    generationId: -1,
    memberId: '',
    topics: [{ name: topic, partitions: partitions.map((p) => ({ partitionIndex: p.partition, committedOffset: p.offset, committedMetadata: p.metadata })) }],
  });
  return response.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));
}

describe('consumer groups and committed offsets', () => {
  it('refuses a consumer over maxGroupSize with GROUP_MAX_SIZE_REACHED; the members keep their group', async () => {
    const broker = await startKafkaBroker({ port: 0, maxGroupSize: 2 });
    const kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 10 } });
    const consumers: Consumer[] = [];
    try {
      broker.createTopic('sized', 4);
      const groupId = 'sized-group';
      for (let i = 0; i < 2; i++) {
        const consumer = kafka.consumer(consumerConfig(groupId));
        consumers.push(consumer);
        await consumer.connect();
        await consumer.subscribe({ topic: 'sized', fromBeginning: true });
        await consumer.run({ eachMessage: async () => {} });
      }
      await eventually('two members, stable', () => broker.group(groupId).state === 'Stable' && broker.group(groupId).members.length === 2);
      const members = broker.group(groupId).members.map((m) => m.memberId);

      const third = kafka.consumer(consumerConfig(groupId));
      consumers.push(third);
      const crashes: { type?: string }[] = [];
      third.on(third.events.CRASH, (event) => void crashes.push(event.payload.error as { type?: string }));
      await third.connect();
      await third.subscribe({ topic: 'sized', fromBeginning: true });
      await third.run({ eachMessage: async () => {} });
      await eventually('the third consumer is refused', () => crashes.length > 0);

      expect(crashes[0]!.type).toBe('GROUP_MAX_SIZE_REACHED');
      expect(broker.group(groupId)).toMatchObject({ state: 'Stable', members: members.map((memberId) => expect.objectContaining({ memberId })) });
      expect(broker.groupState()).toMatchObject({ members: 2, pendingMemberIds: 0, refusedOverGroupSize: 1 });
    } finally {
      await Promise.all(consumers.map((c) => c.disconnect()));
      await broker.close();
    }
  });

  it("follows Kafka's acceptJoiningMember: a handed-out id is dropped once the group is full, a waiting member outranks one not yet rejoined", async () => {
    const coordinator = new GroupCoordinator({ initialRebalanceDelayMs: 0 }, { maxGroups: 10, maxGroupSize: 2, maxGroupStateBytes: 1024 * KiB });
    const group = coordinator.getOrCreate('g')!;
    const request = (memberId: string) => ({
      memberId,
      clientId: 'c',
      clientHost: '/127.0.0.1',
      sessionTimeoutMs: 60_000,
      rebalanceTimeoutMs: 60_000,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.from([1]) }],
    });
    const refused = { errorCode: ErrorCode.GROUP_MAX_SIZE_REACHED, memberId: '', generationId: -1 };

    const a = await group.join(request(''));
    await group.sync({ memberId: a.memberId, generationId: 1, assignments: [] });
    // An id handed out while there is room (KIP-394's first join)...
    const pending = group.reserveMemberId('c', 60_000)!;
    expect(pending).not.toBeNull();
    // ...then another member fills the group before its holder comes back.
    const bJoin = group.join(request(''));
    const [aAgain, b] = await Promise.all([group.join(request(a.memberId)), bJoin]);
    expect([aAgain.generationId, b.generationId]).toEqual([2, 2]);
    expect(await group.join(request(pending))).toMatchObject(refused);
    expect(group.pendingMemberCount).toBe(0);
    expect(group.reserveMemberId('c', 60_000)).toBeNull();
    expect(await group.join(request(''))).toMatchObject(refused);

    // While joins are gathered, the first two to (re)join are in; a member that has not rejoined
    // when two are waiting is removed, as Kafka sheds the last rejoining members.
    await group.sync({ memberId: aAgain.memberId, generationId: 2, assignments: [] });
    group.forceRebalance();
    const aThird = group.join(request(a.memberId));
    const newcomer = group.join(request(''));
    expect(await group.join(request(b.memberId))).toMatchObject(refused);
    const formed = await Promise.all([aThird, newcomer]);
    expect(formed.map((r) => r.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    expect([...group.members.keys()].sort()).toEqual([a.memberId, formed[1].memberId].sort());
    expect(coordinator.stats()).toMatchObject({ members: 2, refusedOverGroupSize: 4 });
    coordinator.close();
  });

  it('holds at most maxGroups groups: new group ids are refused, groups it holds go on, idle ones make room', async () => {
    const broker = await startKafkaBroker({ port: 0, maxGroups: 5 });
    const client = await RawClient.connect(broker.port);
    try {
      broker.createTopic('looped', 2);
      // A client looping over new group ids, each first join handing out a member id (KIP-394).
      const answers = [];
      for (let i = 0; i < 20; i++) answers.push(await join(client, `loop-${i}`, { version: 5 }));
      expect(answers.slice(0, 5).map((a) => a.errorCode)).toEqual(Array(5).fill(ErrorCode.MEMBER_ID_REQUIRED));
      expect(answers.slice(5).map((a) => [a.errorCode, a.memberId])).toEqual(Array(15).fill([ErrorCode.GROUP_MAX_SIZE_REACHED, '']));
      expect(broker.groups()).toHaveLength(5);
      expect(broker.groupState()).toMatchObject({ groups: 5, pendingMemberIds: 5, refusedOverMaxGroups: 15 });

      // A commit that would create a sixth group is refused per partition and stores nothing...
      const offsets = [0, 1].map((partition) => ({ partition, offset: 3, metadata: null }));
      expect(await commitOffsets(client, 'one-too-many', 'looped', offsets)).toEqual([ErrorCode.INVALID_COMMIT_OFFSET_SIZE, ErrorCode.INVALID_COMMIT_OFFSET_SIZE]);
      expect(broker.groupOffsets('one-too-many')).toEqual([]);
      // ...while a group the broker holds commits and joins as before.
      expect(await commitOffsets(client, 'loop-0', 'looped', offsets)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
      const member = await join(client, 'loop-1', { version: 5, memberId: answers[1]!.memberId });
      expect(member).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1 });
      // Counted once for each refused partition of the commit.
      expect(broker.groupState()).toMatchObject({ groups: 5, committedOffsets: 2, refusedOverMaxGroups: 17 });
    } finally {
      client.close();
      await broker.close();
    }
  });

  it('makes room for a new group by dropping empty groups without offsets, as Kafka deletes them', async () => {
    const broker = await startKafkaBroker({ port: 0, maxGroups: 3 });
    const client = await RawClient.connect(broker.port);
    try {
      broker.createTopic('kept', 1);
      for (const groupId of ['left-1', 'left-2', 'committed']) {
        const member = await join(client, groupId);
        expect(member.errorCode).toBe(ErrorCode.NONE);
        await client.call(ApiKey.LeaveGroup, 2, { groupId, memberId: member.memberId });
      }
      expect(await commitOffsets(client, 'committed', 'kept', [{ partition: 0, offset: 7, metadata: 'keep me' }])).toEqual([ErrorCode.NONE]);
      expect(broker.groups().map((id) => broker.group(id).state)).toEqual(['Empty', 'Empty', 'Empty']);

      expect((await join(client, 'newcomer')).errorCode).toBe(ErrorCode.NONE);
      expect(broker.groups()).toEqual(['committed', 'newcomer']);
      expect(broker.groupOffsets('committed')).toEqual([{ topic: 'kept', partition: 0, offset: 7, metadata: 'keep me' }]);
      expect(broker.groupState()).toMatchObject({ groups: 2, reclaimedGroups: 2, refusedOverMaxGroups: 0 });
    } finally {
      client.close();
      await broker.close();
    }
  });

  it('keeps member metadata, assignments and committed offsets under maxGroupStateBytes, and gives it all back', async () => {
    const limit = 256 * KiB;
    const broker = await startKafkaBroker({ port: 0, maxGroupStateBytes: limit });
    const client = await RawClient.connect(broker.port);
    try {
      broker.createTopic('wide', 200);
      // One member offering 300 KiB of protocol metadata: refused, and not kept.
      const huge = await join(client, 'huge', { metadata: Buffer.alloc(300 * KiB, 1) });
      expect([huge.errorCode, huge.memberId]).toEqual([ErrorCode.GROUP_MAX_SIZE_REACHED, '']);
      expect(broker.groupState()).toMatchObject({ members: 0, refusedOverStateBytes: 1 });

      // A leader handing out assignments that do not fit: every member's SyncGroup fails as in
      // Kafka when the group's record is too large for its log, and the group rebalances.
      const leader = await join(client, 'assigned');
      const room = limit - broker.groupState().bytes;
      const sync = await client.call<{ errorCode: number; assignment: Buffer }>(ApiKey.SyncGroup, 3, {
        groupId: 'assigned',
        generationId: leader.generationId,
        memberId: leader.memberId,
        assignments: [{ memberId: leader.memberId, assignment: Buffer.alloc(room + 1) }],
      });
      expect(sync.errorCode).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
      expect(broker.group('assigned').state).toBe('PreparingRebalance');
      expect(broker.groupState()).toMatchObject({ members: 1, refusedOverStateBytes: 2 });
      expect(broker.groupState().bytes).toBeLessThan(limit - room / 2);

      // Committed offsets with 4 KiB of metadata each, one partition after another, until full.
      const metadata = 'm'.repeat(4096);
      const errors: number[] = [];
      for (let partition = 0; partition < 200; partition++) {
        errors.push(...(await commitOffsets(client, 'offsets', 'wide', [{ partition, offset: 1, metadata }])));
      }
      const stored = errors.filter((e) => e === ErrorCode.NONE).length;
      expect(stored).toBeGreaterThan(10);
      expect(errors).toEqual([...Array(stored).fill(ErrorCode.NONE), ...Array(200 - stored).fill(ErrorCode.INVALID_COMMIT_OFFSET_SIZE)]);
      const full = broker.groupState();
      expect(full).toMatchObject({ committedOffsets: stored, refusedOverStateBytes: 2 + 200 - stored });
      expect(full.peakBytes).toBeLessThanOrEqual(limit);
      // At the limit a client still moves the offsets it has; a smaller one makes room for another.
      expect(await commitOffsets(client, 'offsets', 'wide', [{ partition: 0, offset: 2, metadata }])).toEqual([ErrorCode.NONE]);
      expect(await commitOffsets(client, 'offsets', 'wide', [{ partition: 1, offset: 2, metadata: null }])).toEqual([ErrorCode.NONE]);
      expect(await commitOffsets(client, 'offsets', 'wide', [{ partition: stored, offset: 1, metadata }])).toEqual([ErrorCode.NONE]);
      expect(broker.groupState().peakBytes).toBeLessThanOrEqual(limit);

      await client.call(ApiKey.LeaveGroup, 2, { groupId: 'assigned', memberId: leader.memberId });
      await client.call(ApiKey.DeleteGroups, 1, { groupsNames: broker.groups() });
      // Everything charged was given back: the running count has not drifted.
      expect(broker.groupState()).toMatchObject({ groups: 0, members: 0, committedOffsets: 0, bytes: 0 });
    } finally {
      client.close();
      await broker.close();
    }
  });

  it('counts group state exactly through joins, syncs, leaves, commits and deletions (random walk)', async () => {
    const random = createRandom(7, 'group-state-budget');
    const limit = 48 * KiB;
    const coordinator = new GroupCoordinator({ initialRebalanceDelayMs: 0 }, { maxGroups: 4, maxGroupSize: 3, maxGroupStateBytes: limit });
    const groupIds = ['g0', 'g1', 'g2', 'g3', 'g4'];
    const memberIds = new Map<string, string[]>();
    const outcomes = new Map<string, number>();
    const tally = (what: string) => outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
    const someMember = (groupId: string) => random.helpers.arrayElement([...(memberIds.get(groupId) ?? []), '', 'stranger']);
    const bytes = (n: number) => Buffer.alloc(random.number.int({ min: 0, max: n }));
    for (let step = 0; step < 3000; step++) {
      const groupId = random.helpers.arrayElement(groupIds);
      const group: ConsumerGroup | undefined = coordinator.group(groupId);
      const op = random.number.int({ min: 0, max: 7 });
      if (op <= 1) {
        const target = group ?? coordinator.getOrCreate(groupId);
        void target
          ?.join({
            memberId: someMember(groupId),
            clientId: 'c'.repeat(random.number.int({ min: 0, max: 40 })),
            clientHost: '/127.0.0.1',
            sessionTimeoutMs: 600_000,
            rebalanceTimeoutMs: 600_000,
            protocolType: 'consumer',
            protocols: [{ name: 'range', metadata: bytes(2 * KiB) }],
          })
          .then((result: JoinResult) => {
            tally(`join ${result.errorCode}`);
            if (result.errorCode === ErrorCode.NONE) memberIds.set(groupId, [...new Set([...(memberIds.get(groupId) ?? []), result.memberId])]);
          });
      } else if (op === 2 && group) {
        const pending = group.reserveMemberId('c', 600_000);
        if (pending) memberIds.set(groupId, [...(memberIds.get(groupId) ?? []), pending]);
      } else if (op === 3 && group?.leaderId) {
        void group
          .sync({
            memberId: group.leaderId,
            generationId: group.generationId,
            assignments: [...group.members.keys()].map((memberId) => ({ memberId, assignment: bytes(6 * KiB) })),
          })
          .then((result) => tally(`sync ${result.errorCode}`));
      } else if (op === 4 && group) {
        tally(`leave ${group.leave(someMember(groupId))}`);
      } else if (op === 5) {
        const metadata = random.datatype.boolean() ? null : 'x'.repeat(random.number.int({ min: 0, max: 2048 }));
        tally(`commit ${coordinator.commit(groupId, random.helpers.arrayElement(['t1', 'topic-two']), random.number.int({ min: 0, max: 30 }), { offset: step, metadata })}`);
      } else if (op === 6 && random.number.int({ min: 0, max: 20 }) === 0) {
        coordinator.forgetTopic('t1');
        tally('forget');
      } else if (op === 7 && random.number.int({ min: 0, max: 3 }) === 0) {
        tally(`delete ${coordinator.deleteGroup(groupId)}`);
      }
      await new Promise((resolve) => setImmediate(resolve));
      const stats = coordinator.stats();
      expect(stats.bytes, `after step ${step}`).toBe(coordinator.recountBytes());
      expect(stats.bytes).toBeLessThanOrEqual(limit);
      expect(stats.groups).toBeLessThanOrEqual(4);
    }
    // The walk went through every path and hit every limit, so it checked the bookkeeping of each.
    for (const outcome of ['join 0', 'join 81', 'sync 0', 'sync -1', 'leave 0', 'commit true', 'commit false', 'forget', 'delete 0', 'delete 68']) {
      expect(outcomes.get(outcome), outcome).toBeGreaterThan(0);
    }
    const stats = coordinator.stats();
    expect([stats.refusedOverStateBytes, stats.refusedOverMaxGroups, stats.refusedOverGroupSize].every((n) => n > 0)).toBe(true);
    for (const groupId of coordinator.groupIds()) for (const memberId of coordinator.group(groupId)?.members.keys() ?? []) coordinator.group(groupId)!.leave(memberId);
    for (const groupId of coordinator.groupIds()) coordinator.deleteGroup(groupId);
    expect(coordinator.stats()).toMatchObject({ groups: 0, bytes: 0 });
    coordinator.close();
  });

  it('answers a partition listed many times in OffsetFetch, or a group in DescribeGroups, once', async () => {
    const broker = await startKafkaBroker({ port: 0 });
    const client = await RawClient.connect(broker.port);
    try {
      broker.createTopic('fetched', 2);
      const metadata = 'm'.repeat(4096);
      expect(await commitOffsets(client, 'described', 'fetched', [0, 1].map((partition) => ({ partition, offset: 5, metadata })))).toEqual([0, 0]);
      const fetched = await client.call<{ topics: { name: string; partitions: { partitionIndex: number; metadata: string }[] }[] }>(ApiKey.OffsetFetch, 5, {
        groupId: 'described',
        topics: [
          { name: 'fetched', partitionIndexes: Array(1000).fill(0) },
          { name: 'fetched', partitionIndexes: [1, 0, 1] },
        ],
      });
      expect(fetched.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.metadata.length])])).toEqual([
        ['fetched', [[0, 4096], [1, 4096]]],
      ]);

      const member = await join(client, 'described', { metadata: Buffer.alloc(64 * KiB) });
      await client.call(ApiKey.SyncGroup, 3, { groupId: 'described', generationId: member.generationId, memberId: member.memberId, assignments: [{ memberId: member.memberId, assignment: Buffer.alloc(64 * KiB) }] });
      const described = await client.call<{ groups: { groupId: string; members: { memberMetadata: Buffer }[] }[] }>(ApiKey.DescribeGroups, 4, {
        groups: [...Array(1000).fill('described'), 'other', 'described'],
      });
      expect(described.groups.map((g) => [g.groupId, g.members.map((m) => m.memberMetadata.length)])).toEqual([
        ['described', [64 * KiB]],
        ['other', []],
      ]);
    } finally {
      client.close();
      await broker.close();
    }
  });

  it('reports the Kafka-named group limits in DescribeConfigs and applies a smaller offset metadata limit', async () => {
    const broker = await startKafkaBroker({ port: 0, maxGroupSize: 7, maxOffsetMetadataBytes: 16 });
    const admin = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING }).admin();
    const client = await RawClient.connect(broker.port);
    try {
      await admin.connect();
      const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '1' }] });
      const value = (name: string) => described.resources[0]!.configEntries.find((e) => e.configName === name)?.configValue;
      expect([value('group.max.size'), value('offset.metadata.max.bytes')]).toEqual(['7', '16']);

      broker.createTopic('short', 2);
      const errors = await commitOffsets(client, 'short-metadata', 'short', [
        { partition: 0, offset: 1, metadata: 'x'.repeat(16) },
        { partition: 1, offset: 1, metadata: 'x'.repeat(17) },
      ]);
      expect(errors).toEqual([ErrorCode.NONE, ErrorCode.OFFSET_METADATA_TOO_LARGE]);
      expect(broker.groupOffsets('short-metadata').map((o) => o.partition)).toEqual([0]);
      expect(broker.groupState().refusedOffsetMetadata).toBe(1);
    } finally {
      client.close();
      await admin.disconnect();
      await broker.close();
    }
  });
});
