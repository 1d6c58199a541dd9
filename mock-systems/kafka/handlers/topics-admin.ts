import type { BrokerState } from '../broker-state.ts';
import { topicNameProblem } from '../log/topic-store.ts';
import { ErrorCode } from '../protocol/errors.ts';
import {
  decodeCreatePartitionsRequest,
  decodeCreateTopicsRequest,
  decodeDeleteTopicsRequest,
  encodeCreatePartitionsResponse,
  encodeCreateTopicsResponse,
  encodeDeleteTopicsResponse,
  type CreateTopicsRequest,
  type TopicResult,
} from '../protocol/messages/topics-admin.ts';
import type { Reader } from '../protocol/reader.ts';

export function handleCreateTopics(body: Reader, _context: unknown, broker: BrokerState): Buffer {
  const request = decodeCreateTopicsRequest(body);
  const counts = new Map<string, number>();
  for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const results = request.topics.map((topic): TopicResult => {
    if ((counts.get(topic.name) ?? 0) > 1) {
      return fail(topic.name, ErrorCode.INVALID_REQUEST, `Create topics request from client contains multiple entries for topic ${topic.name}.`);
    }
    const checked = checkNewTopic(topic, broker);
    if ('errorCode' in checked) return checked;
    if (!request.validateOnly) {
      broker.topics.create(topic.name, checked.partitions, new Map(topic.configs.map((c) => [c.name, c.value])));
    }
    return { name: topic.name, errorCode: ErrorCode.NONE, errorMessage: null };
  });
  return encodeCreateTopicsResponse(results);
}

function checkNewTopic(
  topic: CreateTopicsRequest['topics'][number],
  broker: BrokerState,
): TopicResult | { partitions: number } {
  const nameProblem = topicNameProblem(topic.name);
  if (nameProblem) return fail(topic.name, ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
  if (broker.topics.get(topic.name)) {
    return fail(topic.name, ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${topic.name}' already exists.`);
  }
  if (topic.assignments.length > 0) {
    if (topic.numPartitions !== -1 || topic.replicationFactor !== -1) {
      return fail(topic.name, ErrorCode.INVALID_REQUEST, 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.');
    }
    const nodeId = broker.config.nodeId;
    const valid = topic.assignments.every((a, i) => a.partition === i) &&
      topic.assignments.every((a) => a.brokerIds.length === 1 && a.brokerIds[0] === nodeId);
    if (!valid) {
      return fail(topic.name, ErrorCode.INVALID_REPLICA_ASSIGNMENT, `This broker is node ${nodeId} alone; each partition must be assigned to [${nodeId}], numbered from 0.`);
    }
    return { partitions: topic.assignments.length };
  }
  const partitions = topic.numPartitions === -1 ? broker.config.defaultPartitions : topic.numPartitions;
  if (partitions <= 0) {
    return fail(topic.name, ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
  }
  const room = roomForPartitions(broker);
  if (partitions > room) return fail(topic.name, ErrorCode.INVALID_PARTITIONS, `This broker holds at most ${broker.config.maxPartitions} partitions in all; ${room} are left.`);
  if (topic.replicationFactor !== -1 && topic.replicationFactor !== 1) {
    if (topic.replicationFactor <= 0) {
      return fail(topic.name, ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
    }
    return fail(topic.name, ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor: ${topic.replicationFactor} larger than available brokers: 1.`);
  }
  return { partitions };
}

export function handleDeleteTopics(body: Reader, _context: unknown, broker: BrokerState): Buffer {
  const request = decodeDeleteTopicsRequest(body);
  const results = request.names.map((name) => {
    if (!broker.topics.delete(name)) return { name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
    broker.producers.forgetTopic(name);
    broker.groups.forgetTopic(name);
    return { name, errorCode: ErrorCode.NONE };
  });
  return encodeDeleteTopicsResponse(results);
}

export function handleCreatePartitions(body: Reader, _context: unknown, broker: BrokerState): Buffer {
  const request = decodeCreatePartitionsRequest(body);
  const results = request.topics.map((topic): TopicResult => {
    const existing = broker.topics.get(topic.name);
    if (!existing) {
      return fail(topic.name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${topic.name}' does not exist.`);
    }
    const current = existing.partitions.length;
    if (topic.count <= current) {
      return fail(topic.name, ErrorCode.INVALID_PARTITIONS, `Topic currently has ${current} partitions, which is higher than the requested ${topic.count}.`);
    }
    const room = roomForPartitions(broker);
    if (topic.count - current > room) return fail(topic.name, ErrorCode.INVALID_PARTITIONS, `This broker holds at most ${broker.config.maxPartitions} partitions in all; ${room} are left.`);
    if (!request.validateOnly) broker.topics.addPartitions(topic.name, topic.count);
    return { name: topic.name, errorCode: ErrorCode.NONE, errorMessage: null };
  });
  return encodeCreatePartitionsResponse(results);
}

function roomForPartitions(broker: BrokerState): number {
  return Math.max(0, broker.config.maxPartitions - broker.topics.partitionCount());
}

function fail(name: string, errorCode: number, errorMessage: string): TopicResult {
  return { name, errorCode, errorMessage };
}
