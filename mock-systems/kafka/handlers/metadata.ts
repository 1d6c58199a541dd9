import type { BrokerState, RequestContext } from '../broker-state.ts';
import { topicNameProblem } from '../log/topic-store.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { decodeMetadataRequest, encodeMetadataResponse, type MetadataResponse } from '../protocol/messages/metadata.ts';
import type { Reader } from '../protocol/reader.ts';

export function handleMetadata(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = decodeMetadataRequest(body);
  const nodeId = broker.config.nodeId;
  const names = request.topics ?? broker.topics.names();
  const topics: MetadataResponse['topics'] = names.map((name) => {
    let topic = broker.topics.get(name);
    if (!topic) {
      if (topicNameProblem(name)) {
        return { errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, name, isInternal: false, partitions: [] };
      }
      const full = broker.topics.partitionCount() + broker.config.defaultPartitions > broker.config.maxPartitions;
      if (!(request.allowAutoTopicCreation && broker.config.autoCreateTopics) || full) {
        return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, isInternal: false, partitions: [] };
      }
      topic = broker.topics.create(name, broker.config.defaultPartitions);
    }
    return {
      errorCode: ErrorCode.NONE,
      name,
      isInternal: false,
      partitions: topic.partitions.map((_, partition) =>
        broker.faults.isLeaderAvailable(name, partition)
          ? { errorCode: ErrorCode.NONE, partition, leader: nodeId, replicas: [nodeId], isr: [nodeId] }
          : { errorCode: ErrorCode.LEADER_NOT_AVAILABLE, partition, leader: -1, replicas: [nodeId], isr: [] },
      ),
    };
  });
  return encodeMetadataResponse({
    brokers: [{ nodeId, host: context.advertisedHost, port: broker.port(), rack: null }],
    clusterId: broker.config.clusterId,
    controllerId: nodeId,
    topics,
  });
}
