import type { BrokerState, RequestContext } from '../broker-state.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type {
  GroupDescription,
  JoinGroupRequestData,
  LeaveGroupRequestData,
  SyncGroupRequestData,
} from '../protocol/messages/groups.ts';
import type { Reader } from '../protocol/reader.ts';
import { readRequest, writeResponse } from './codec.ts';

const GROUP_KEY_TYPE = 0;
/** From JoinGroup v4 a new member first gets its id with MEMBER_ID_REQUIRED (KIP-394). */
const FIRST_JOIN_HANDSHAKE_VERSION = 4;
/** From LeaveGroup v3 one request lists its members (KIP-345). */
const LEAVE_BY_MEMBER_LIST_VERSION = 3;

export function handleFindCoordinator(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<{ key: string; keyType: number; coordinatorKeys: string[] }>(body, context);
  const coordinatorFor = (key: string) =>
    request.keyType !== GROUP_KEY_TYPE
      ? {
          key,
          errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
          errorMessage: 'this broker has no transaction coordinator (transactions are not supported)',
          nodeId: -1,
          host: '',
          port: -1,
        }
      : { key, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: broker.config.nodeId, host: context.advertisedHost, port: broker.port() };
  // v0–v3 ask for one key and answer at the top level; v4 asks for a list.
  return writeResponse(context, { ...coordinatorFor(request.key), coordinators: request.coordinatorKeys.map(coordinatorFor) });
}

export async function handleJoinGroup(body: Reader, context: RequestContext, broker: BrokerState): Promise<Buffer> {
  const request = readRequest<JoinGroupRequestData>(body, context);
  const version = context.header.apiVersion;
  const refuse = (errorCode: number, memberId = request.memberId) =>
    writeResponse(context, { errorCode, generationId: -1, protocolName: '', leaderId: '', memberId, members: [] });
  if (request.groupId === '') return refuse(ErrorCode.INVALID_GROUP_ID);
  const { minSessionTimeoutMs, maxSessionTimeoutMs } = broker.config;
  if (request.sessionTimeoutMs < minSessionTimeoutMs || request.sessionTimeoutMs > maxSessionTimeoutMs) {
    return refuse(ErrorCode.INVALID_SESSION_TIMEOUT);
  }
  const existing = broker.groups.group(request.groupId);
  // As in Kafka, only a member without an id yet creates a group.
  if (!existing && request.memberId !== '') return refuse(ErrorCode.UNKNOWN_MEMBER_ID);
  // No room for another group: the coordinator refuses the member, as Kafka does a member over group.max.size.
  const group = existing ?? broker.groups.getOrCreate(request.groupId);
  if (!group) return refuse(ErrorCode.GROUP_MAX_SIZE_REACHED, '');
  if (request.memberId === '' && version >= FIRST_JOIN_HANDSHAKE_VERSION) {
    const memberId = group.reserveMemberId(context.header.clientId ?? '', request.sessionTimeoutMs);
    return memberId === null ? refuse(ErrorCode.GROUP_MAX_SIZE_REACHED, '') : refuse(ErrorCode.MEMBER_ID_REQUIRED, memberId);
  }
  const result = await group.join({
    memberId: request.memberId,
    clientId: context.header.clientId ?? '',
    clientHost: context.clientHost,
    sessionTimeoutMs: request.sessionTimeoutMs,
    // v0 has no rebalance timeout; Kafka uses the session timeout in its place.
    rebalanceTimeoutMs: version === 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs,
    protocolType: request.protocolType,
    protocols: request.protocols,
  });
  return writeResponse(context, { ...result, protocolType: group.protocolType });
}

export async function handleSyncGroup(body: Reader, context: RequestContext, broker: BrokerState): Promise<Buffer> {
  const request = readRequest<SyncGroupRequestData>(body, context);
  const group = broker.groups.group(request.groupId);
  if (!group) return writeResponse(context, { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
  const result = await group.sync(request);
  return writeResponse(context, { ...result, protocolType: group.protocolType, protocolName: group.protocolName });
}

export function handleHeartbeat(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<{ groupId: string; generationId: number; memberId: string }>(body, context);
  const group = broker.groups.group(request.groupId);
  const errorCode = group ? group.heartbeat(request.memberId, request.generationId) : ErrorCode.UNKNOWN_MEMBER_ID;
  return writeResponse(context, { errorCode });
}

export function handleLeaveGroup(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<LeaveGroupRequestData>(body, context);
  const group = broker.groups.group(request.groupId);
  const leave = (memberId: string) => (group ? group.leave(memberId) : ErrorCode.UNKNOWN_MEMBER_ID);
  if (context.header.apiVersion < LEAVE_BY_MEMBER_LIST_VERSION) return writeResponse(context, { errorCode: leave(request.memberId) });
  const members = request.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: leave(m.memberId) }));
  return writeResponse(context, { errorCode: group ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID, members });
}

export function describeGroup(broker: BrokerState, groupId: string): GroupDescription {
  const base = { errorCode: ErrorCode.NONE, groupId, protocolType: '', protocolData: '', members: [] };
  if (groupId === '') return { ...base, errorCode: ErrorCode.INVALID_GROUP_ID, groupState: 'Dead' };
  const group = broker.groups.group(groupId);
  if (!group) return { ...base, groupState: broker.groups.hasGroup(groupId) ? 'Empty' : 'Dead' };
  // Like Kafka, protocol metadata and assignments are shown only once the group is stable.
  const stable = group.state === 'Stable';
  return {
    errorCode: ErrorCode.NONE,
    groupId,
    groupState: group.state,
    protocolType: group.protocolType ?? '',
    protocolData: stable ? (group.protocolName ?? '') : '',
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: stable ? (m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? Buffer.alloc(0)) : Buffer.alloc(0),
      memberAssignment: stable ? m.assignment : Buffer.alloc(0),
    })),
  };
}

/**
 * Each group is described once however often it is listed (Kafka answers every entry): a group
 * holds up to maxGroupStateBytes of metadata and assignments, so a short request naming it
 * thousands of times would otherwise build a response of thousands of copies.
 */
export function handleDescribeGroups(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<{ groups: string[] }>(body, context);
  return writeResponse(context, { groups: [...new Set(request.groups)].map((id) => describeGroup(broker, id)) });
}

export function handleListGroups(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<{ statesFilter: string[] }>(body, context);
  const wanted = new Set(request.statesFilter.map((s) => s.toLowerCase()));
  const groups = broker.groups
    .groupIds()
    .map((groupId) => {
      const group = broker.groups.group(groupId);
      return { groupId, protocolType: group?.protocolType ?? '', groupState: group?.state ?? 'Empty' };
    })
    .filter((g) => wanted.size === 0 || wanted.has(g.groupState.toLowerCase()));
  return writeResponse(context, { errorCode: ErrorCode.NONE, groups });
}

export function handleDeleteGroups(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<{ groupsNames: string[] }>(body, context);
  return writeResponse(context, {
    results: request.groupsNames.map((groupId) => ({
      groupId,
      errorCode: groupId === '' ? ErrorCode.INVALID_GROUP_ID : broker.groups.deleteGroup(groupId),
    })),
  });
}
