import type { BrokerState, RequestContext } from '../broker-state.ts';
import { ErrorCode } from '../protocol/errors.ts';
import {
  decodeDeleteGroupsRequest,
  decodeDescribeGroupsRequest,
  decodeFindCoordinatorRequest,
  decodeHeartbeatRequest,
  decodeJoinGroupRequest,
  decodeLeaveGroupRequest,
  decodeSyncGroupRequest,
  encodeDeleteGroupsResponse,
  encodeDescribeGroupsResponse,
  encodeErrorOnlyResponse,
  encodeFindCoordinatorResponse,
  encodeJoinGroupResponse,
  encodeListGroupsResponse,
  encodeSyncGroupResponse,
  type GroupDescription,
} from '../protocol/messages/groups.ts';
import type { Reader } from '../protocol/reader.ts';

const GROUP_KEY_TYPE = 0;

export function handleFindCoordinator(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = decodeFindCoordinatorRequest(body);
  if (request.keyType !== GROUP_KEY_TYPE) {
    return encodeFindCoordinatorResponse({
      errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE,
      errorMessage: 'this broker has no transaction coordinator (transactions are not supported)',
      nodeId: -1,
      host: '',
      port: -1,
    });
  }
  return encodeFindCoordinatorResponse({
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    nodeId: broker.config.nodeId,
    host: context.advertisedHost,
    port: broker.port(),
  });
}

export async function handleJoinGroup(body: Reader, context: RequestContext, broker: BrokerState): Promise<Buffer> {
  const request = decodeJoinGroupRequest(body);
  const refuse = (errorCode: number) =>
    encodeJoinGroupResponse({ errorCode, generationId: -1, protocolName: '', leaderId: '', memberId: request.memberId, members: [] });
  if (request.groupId === '') return refuse(ErrorCode.INVALID_GROUP_ID);
  const { minSessionTimeoutMs, maxSessionTimeoutMs } = broker.config;
  if (request.sessionTimeoutMs < minSessionTimeoutMs || request.sessionTimeoutMs > maxSessionTimeoutMs) {
    return refuse(ErrorCode.INVALID_SESSION_TIMEOUT);
  }
  const result = await broker.groups.getOrCreate(request.groupId).join({
    memberId: request.memberId,
    clientId: context.header.clientId ?? '',
    clientHost: context.clientHost,
    sessionTimeoutMs: request.sessionTimeoutMs,
    rebalanceTimeoutMs: request.rebalanceTimeoutMs,
    protocolType: request.protocolType,
    protocols: request.protocols,
  });
  return encodeJoinGroupResponse(result);
}

export async function handleSyncGroup(body: Reader, _context: RequestContext, broker: BrokerState): Promise<Buffer> {
  const request = decodeSyncGroupRequest(body);
  const group = broker.groups.group(request.groupId);
  if (!group) return encodeSyncGroupResponse(ErrorCode.UNKNOWN_MEMBER_ID, Buffer.alloc(0));
  const result = await group.sync(request);
  return encodeSyncGroupResponse(result.errorCode, result.assignment);
}

export function handleHeartbeat(body: Reader, _context: RequestContext, broker: BrokerState): Buffer {
  const request = decodeHeartbeatRequest(body);
  const group = broker.groups.group(request.groupId);
  const errorCode = group ? group.heartbeat(request.memberId, request.generationId) : ErrorCode.UNKNOWN_MEMBER_ID;
  return encodeErrorOnlyResponse(errorCode);
}

export function handleLeaveGroup(body: Reader, _context: RequestContext, broker: BrokerState): Buffer {
  const request = decodeLeaveGroupRequest(body);
  const group = broker.groups.group(request.groupId);
  return encodeErrorOnlyResponse(group ? group.leave(request.memberId) : ErrorCode.UNKNOWN_MEMBER_ID);
}

export function describeGroup(broker: BrokerState, groupId: string): GroupDescription {
  const base = { errorCode: ErrorCode.NONE, groupId, protocolType: '', protocol: '', members: [] };
  if (groupId === '') return { ...base, errorCode: ErrorCode.INVALID_GROUP_ID, state: 'Dead' };
  const group = broker.groups.group(groupId);
  if (!group) return { ...base, state: broker.groups.hasGroup(groupId) ? 'Empty' : 'Dead' };
  // Like Kafka, protocol metadata and assignments are shown only once the group is stable.
  const stable = group.state === 'Stable';
  return {
    errorCode: ErrorCode.NONE,
    groupId,
    state: group.state,
    protocolType: group.protocolType ?? '',
    protocol: stable ? (group.protocolName ?? '') : '',
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      metadata: stable ? (m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? Buffer.alloc(0)) : Buffer.alloc(0),
      assignment: stable ? m.assignment : Buffer.alloc(0),
    })),
  };
}

export function handleDescribeGroups(body: Reader, _context: RequestContext, broker: BrokerState): Buffer {
  const request = decodeDescribeGroupsRequest(body);
  return encodeDescribeGroupsResponse(request.groupIds.map((id) => describeGroup(broker, id)));
}

export function handleListGroups(body: Reader, _context: RequestContext, broker: BrokerState): Buffer {
  body.expectEnd('ListGroups request');
  const groups = broker.groups.groupIds().map((groupId) => ({
    groupId,
    protocolType: broker.groups.group(groupId)?.protocolType ?? '',
  }));
  return encodeListGroupsResponse(ErrorCode.NONE, groups);
}

export function handleDeleteGroups(body: Reader, _context: RequestContext, broker: BrokerState): Buffer {
  const request = decodeDeleteGroupsRequest(body);
  return encodeDeleteGroupsResponse(
    request.groupIds.map((groupId) => ({
      groupId,
      errorCode: groupId === '' ? ErrorCode.INVALID_GROUP_ID : broker.groups.deleteGroup(groupId),
    })),
  );
}
