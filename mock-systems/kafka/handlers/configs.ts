import type { BrokerState, RequestContext } from '../broker-state.ts';
import { ErrorCode } from '../protocol/errors.ts';
import {
  ConfigSource,
  ConfigType,
  ResourceType,
  type AlterConfigsRequestData,
  type DescribeConfigsRequestData,
} from '../protocol/messages/configs.ts';
import type { Reader } from '../protocol/reader.ts';
import { readRequest, writeResponse } from './codec.ts';

/**
 * The topic config names Apache Kafka knows. A topic may store any of them (CreateTopics,
 * AlterConfigs) so client code that sets them works, but this in-memory broker acts on none:
 * what it really does is what describeTopic reports as defaults.
 */
const KAFKA_TOPIC_CONFIGS = new Set([
  'cleanup.policy', 'compression.type', 'compression.gzip.level', 'compression.lz4.level', 'compression.zstd.level',
  'delete.retention.ms', 'file.delete.delay.ms', 'flush.messages', 'flush.ms', 'follower.replication.throttled.replicas',
  'index.interval.bytes', 'leader.replication.throttled.replicas', 'local.retention.bytes', 'local.retention.ms',
  'max.compaction.lag.ms', 'max.message.bytes', 'message.downconversion.enable', 'message.format.version',
  'message.timestamp.after.max.ms', 'message.timestamp.before.max.ms', 'message.timestamp.difference.max.ms',
  'message.timestamp.type', 'min.cleanable.dirty.ratio', 'min.compaction.lag.ms', 'min.insync.replicas', 'preallocate',
  'remote.log.copy.disable', 'remote.log.delete.on.disable', 'remote.storage.enable', 'retention.bytes', 'retention.ms',
  'segment.bytes', 'segment.index.bytes', 'segment.jitter.ms', 'segment.ms', 'unclean.leader.election.enable',
]);

/** Kafka's message for a topic config it would refuse, or null. */
export function topicConfigProblem(name: string, value: string | null): string | null {
  if (!KAFKA_TOPIC_CONFIGS.has(name)) return `Unknown topic config name: ${name}`;
  if (value === null) return `Null value not supported for topic configs: ${name}`;
  return null;
}

interface ConfigEntry {
  name: string;
  value: string;
  type: number;
  source: number;
  readOnly: boolean;
  documentation: string;
}

/** What this broker really runs with, under the names of the Kafka settings they mirror. */
function brokerConfigs(broker: BrokerState): ConfigEntry[] {
  const { config } = broker;
  const fixed = (name: string, value: string | number | boolean, type: number, documentation: string): ConfigEntry => ({
    name,
    value: String(value),
    type,
    source: ConfigSource.StaticBroker,
    readOnly: true,
    documentation,
  });
  return [
    fixed('node.id', config.nodeId, ConfigType.Int, 'The id of this single broker.'),
    fixed('broker.id', config.nodeId, ConfigType.Int, 'The id of this single broker.'),
    fixed('auto.create.topics.enable', config.autoCreateTopics, ConfigType.Boolean, 'Whether Metadata requests create unknown topics (option autoCreateTopics).'),
    fixed('num.partitions', config.defaultPartitions, ConfigType.Int, 'Partitions of auto-created topics (option defaultPartitions).'),
    fixed('default.replication.factor', 1, ConfigType.Int, 'Every partition has one replica: there is one broker.'),
    fixed('message.max.bytes', config.maxMessageBytes, ConfigType.Int, 'Largest record batch accepted (option maxMessageBytes).'),
    fixed('socket.request.max.bytes', config.maxFrameBytes, ConfigType.Int, 'Largest request frame (option maxFrameBytes).'),
    fixed('fetch.max.bytes', config.fetchMaxBytes, ConfigType.Int, 'Most record bytes in one fetch response (option fetchMaxBytes).'),
    fixed('max.connections', config.maxConnections, ConfigType.Int, 'Open client connections; one more is closed (option maxConnections).'),
    fixed('queued.max.request.bytes', config.maxQueuedRequestBytes, ConfigType.Long, 'Bytes of unanswered requests in all connections (option maxQueuedRequestBytes).'),
    fixed('group.initial.rebalance.delay.ms', broker.groups.initialRebalanceDelayMs, ConfigType.Int, 'How long an empty group waits for more members (option groupInitialRebalanceDelayMs).'),
    fixed('group.min.session.timeout.ms', config.minSessionTimeoutMs, ConfigType.Int, 'Shortest session timeout a consumer may ask for.'),
    fixed('group.max.session.timeout.ms', config.maxSessionTimeoutMs, ConfigType.Int, 'Longest session timeout a consumer may ask for.'),
    fixed('group.max.size', config.maxGroupSize, ConfigType.Int, 'Members one consumer group accepts; one more gets GROUP_MAX_SIZE_REACHED (option maxGroupSize).'),
    fixed('offset.metadata.max.bytes', config.maxOffsetMetadataBytes, ConfigType.Int, 'Longest metadata of a committed offset; longer gets OFFSET_METADATA_TOO_LARGE (option maxOffsetMetadataBytes).'),
  ];
}

/** A topic's stored overrides, then the defaults that describe what the broker really does. */
export function topicConfigs(broker: BrokerState, overrides: Map<string, string | null>): ConfigEntry[] {
  const byDefault = (name: string, value: string | number, type: number, documentation: string): ConfigEntry => ({
    name,
    value: String(value),
    type,
    source: ConfigSource.Default,
    readOnly: false,
    documentation,
  });
  const defaults = [
    byDefault('cleanup.policy', 'delete', ConfigType.List, 'No compaction: records stay until the broker stops.'),
    byDefault('retention.ms', -1, ConfigType.Long, 'No time-based retention: logs live in memory until the broker stops.'),
    byDefault('retention.bytes', -1, ConfigType.Long, 'No size-based retention (the broker caps stored bytes in all instead).'),
    byDefault('max.message.bytes', broker.config.maxMessageBytes, ConfigType.Int, 'Largest record batch accepted (the broker-wide message.max.bytes).'),
    byDefault('message.timestamp.type', 'CreateTime', ConfigType.String, 'Record timestamps are kept as the producer set them.'),
    byDefault('compression.type', 'producer', ConfigType.String, 'Batches are stored as the producer compressed them.'),
    byDefault('min.insync.replicas', 1, ConfigType.Int, 'One replica, always in sync.'),
  ];
  const stored: ConfigEntry[] = [...overrides].map(([name, value]) => ({
    name,
    value: value ?? '',
    type: defaults.find((d) => d.name === name)?.type ?? ConfigType.String,
    source: ConfigSource.DynamicTopic,
    readOnly: false,
    documentation: 'Stored as given; this broker does not act on topic configs.',
  }));
  return [...stored, ...defaults.filter((d) => !overrides.has(d.name))];
}

type Resolved = { entries: ConfigEntry[] } | { errorCode: number; errorMessage: string };

function resolveResource(broker: BrokerState, resourceType: number, resourceName: string): Resolved {
  if (resourceType === ResourceType.Broker) {
    if (resourceName !== '' && resourceName !== String(broker.config.nodeId)) {
      return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unexpected broker id, expected ${broker.config.nodeId} or empty string, but received ${resourceName}` };
    }
    return { entries: brokerConfigs(broker) };
  }
  if (resourceType === ResourceType.Topic) {
    const topic = broker.topics.get(resourceName);
    if (!topic) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic ${resourceName} does not exist.` };
    return { entries: topicConfigs(broker, topic.configs) };
  }
  return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `This broker describes topics (2) and brokers (4), not resource type ${resourceType}.` };
}

export function handleDescribeConfigs(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<DescribeConfigsRequestData>(body, context);
  const results = request.resources.map((resource) => {
    const base = { resourceType: resource.resourceType, resourceName: resource.resourceName };
    const resolved = resolveResource(broker, resource.resourceType, resource.resourceName);
    if ('errorCode' in resolved) return { ...base, ...resolved, configs: [] };
    const wanted = resource.configurationKeys === null ? null : new Set(resource.configurationKeys);
    const configs = resolved.entries
      .filter((e) => wanted === null || wanted.has(e.name))
      .map((e) => ({
        name: e.name,
        value: e.value,
        readOnly: e.readOnly,
        isDefault: e.source === ConfigSource.Default,
        configSource: e.source,
        isSensitive: false,
        synonyms: request.includeSynonyms ? [{ name: e.name, value: e.value, source: e.source }] : [],
        configType: e.type,
        documentation: request.includeDocumentation ? e.documentation : null,
      }));
    return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
  });
  return writeResponse(context, { results });
}

/** AlterConfigs replaces a topic's overrides; IncrementalAlterConfigs changes them one by one. */
const Operation = { Set: 0, Delete: 1, Append: 2, Subtract: 3 } as const;

export function handleAlterConfigs(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  return alterConfigs(readRequest<AlterConfigsRequestData>(body, context), context, broker, false);
}

export function handleIncrementalAlterConfigs(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  return alterConfigs(readRequest<AlterConfigsRequestData>(body, context), context, broker, true);
}

function alterConfigs(request: AlterConfigsRequestData, context: RequestContext, broker: BrokerState, incremental: boolean): Buffer {
  const responses = request.resources.map((resource) => {
    const answer = (errorCode: number, errorMessage: string | null = null) => ({
      errorCode,
      errorMessage,
      resourceType: resource.resourceType,
      resourceName: resource.resourceName,
    });
    const resolved = resolveResource(broker, resource.resourceType, resource.resourceName);
    if ('errorCode' in resolved) return answer(resolved.errorCode, resolved.errorMessage);
    if (resource.resourceType === ResourceType.Broker) {
      return answer(ErrorCode.INVALID_REQUEST, 'This broker\'s configs are fixed when it starts (the options of startKafkaBroker).');
    }
    const topic = broker.topics.get(resource.resourceName)!;
    const next = incremental ? new Map(topic.configs) : new Map<string, string | null>();
    for (const config of resource.configs) {
      const operation = incremental ? (config.configOperation ?? Operation.Set) : Operation.Set;
      if (operation === Operation.Delete) {
        if (!KAFKA_TOPIC_CONFIGS.has(config.name)) return answer(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${config.name}`);
        next.delete(config.name);
        continue;
      }
      const problem = topicConfigProblem(config.name, config.value);
      if (problem) return answer(ErrorCode.INVALID_CONFIG, problem);
      if (operation === Operation.Set) next.set(config.name, config.value);
      else if (operation === Operation.Append || operation === Operation.Subtract) {
        const items = (next.get(config.name) ?? '').split(',').filter((s) => s !== '');
        const change = config.value!.split(',').filter((s) => s !== '');
        const result = operation === Operation.Append ? [...items, ...change.filter((c) => !items.includes(c))] : items.filter((i) => !change.includes(i));
        next.set(config.name, result.join(','));
      } else return answer(ErrorCode.INVALID_REQUEST, `Unknown config operation ${operation}.`);
    }
    if (!request.validateOnly) topic.configs = next;
    return answer(ErrorCode.NONE);
  });
  return writeResponse(context, { responses });
}
