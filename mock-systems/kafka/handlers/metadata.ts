import type { BrokerState, RequestContext } from '../broker-state.ts';
import { topicNameProblem } from '../log/topic-store.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { MetadataRequestData } from '../protocol/messages/metadata.ts';
import type { Reader } from '../protocol/reader.ts';
import { readRequest, writeResponse } from './codec.ts';

export function handleMetadata(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<MetadataRequestData>(body, context);
  const nodeId = broker.config.nodeId;
  // v0 has no null list: there an empty one asks for every topic.
  const everyTopic = request.topics === null || (context.header.apiVersion === 0 && request.topics.length === 0);
  const names = everyTopic ? broker.topics.names() : request.topics!.map((t) => t.name ?? '');
  const topics = names.map((name) => {
    let topic = broker.topics.get(name);
    if (!topic) {
      if (topicNameProblem(name)) return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, name, partitions: [] };
      const full = broker.topics.partitionCount() + broker.config.defaultPartitions > broker.config.maxPartitions;
      if (!(request.allowAutoTopicCreation && broker.config.autoCreateTopics) || full) {
        return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, partitions: [] };
      }
      topic = broker.topics.create(name, broker.config.defaultPartitions);
    }
    return {
      errorCode: ErrorCode.NONE,
      name,
      isInternal: false,
      partitions: topic.partitions.map((_, partitionIndex) =>
        broker.faults.isLeaderAvailable(name, partitionIndex)
          ? { errorCode: ErrorCode.NONE, partitionIndex, leaderId: nodeId, leaderEpoch: 0, replicaNodes: [nodeId], isrNodes: [nodeId] }
          : { errorCode: ErrorCode.LEADER_NOT_AVAILABLE, partitionIndex, leaderId: -1, leaderEpoch: 0, replicaNodes: [nodeId], isrNodes: [] },
      ),
    };
  });
  return writeResponse(context, {
    brokers: [{ nodeId, host: context.advertisedHost, port: broker.port(), rack: null }],
    clusterId: broker.config.clusterId,
    controllerId: nodeId,
    topics,
  });
}
