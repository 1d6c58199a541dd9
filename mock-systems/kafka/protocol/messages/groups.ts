import type { Reader } from '../reader.ts';
import { Writer } from '../writer.ts';

/** FindCoordinator v1. */
export function decodeFindCoordinatorRequest(reader: Reader): { key: string; keyType: number } {
  const key = reader.readString();
  const keyType = reader.readInt8();
  reader.expectEnd('FindCoordinator request');
  return { key, keyType };
}

export function encodeFindCoordinatorResponse(response: {
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}): Buffer {
  return new Writer()
    .int32(0)
    .int16(response.errorCode)
    .nullableString(response.errorMessage)
    .int32(response.nodeId)
    .string(response.host)
    .int32(response.port)
    .toBuffer();
}

/** JoinGroup v2. */
export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
}

export function decodeJoinGroupRequest(reader: Reader): JoinGroupRequest {
  const request = {
    groupId: reader.readString(),
    sessionTimeoutMs: reader.readInt32(),
    rebalanceTimeoutMs: reader.readInt32(),
    memberId: reader.readString(),
    protocolType: reader.readString(),
    protocols: reader.readArray((r) => ({ name: r.readString(), metadata: Buffer.from(r.readBytes()) })),
  };
  reader.expectEnd('JoinGroup request');
  return request;
}

export function encodeJoinGroupResponse(response: {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leaderId: string;
  memberId: string;
  members: { memberId: string; metadata: Buffer }[];
}): Buffer {
  return new Writer()
    .int32(0)
    .int16(response.errorCode)
    .int32(response.generationId)
    .string(response.protocolName)
    .string(response.leaderId)
    .string(response.memberId)
    .array(response.members, (w, m) => w.string(m.memberId).bytes(m.metadata))
    .toBuffer();
}

/** SyncGroup v1. */
export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  assignments: { memberId: string; assignment: Buffer }[];
}

export function decodeSyncGroupRequest(reader: Reader): SyncGroupRequest {
  const request = {
    groupId: reader.readString(),
    generationId: reader.readInt32(),
    memberId: reader.readString(),
    assignments: reader.readArray((r) => ({ memberId: r.readString(), assignment: Buffer.from(r.readBytes()) })),
  };
  reader.expectEnd('SyncGroup request');
  return request;
}

export function encodeSyncGroupResponse(errorCode: number, assignment: Buffer): Buffer {
  return new Writer().int32(0).int16(errorCode).bytes(assignment).toBuffer();
}

/** Heartbeat v1. */
export function decodeHeartbeatRequest(reader: Reader): { groupId: string; generationId: number; memberId: string } {
  const request = { groupId: reader.readString(), generationId: reader.readInt32(), memberId: reader.readString() };
  reader.expectEnd('Heartbeat request');
  return request;
}

/** LeaveGroup v1. */
export function decodeLeaveGroupRequest(reader: Reader): { groupId: string; memberId: string } {
  const request = { groupId: reader.readString(), memberId: reader.readString() };
  reader.expectEnd('LeaveGroup request');
  return request;
}

/** Heartbeat v1 and LeaveGroup v1 answer the same way. */
export function encodeErrorOnlyResponse(errorCode: number): Buffer {
  return new Writer().int32(0).int16(errorCode).toBuffer();
}

/** DescribeGroups v1. */
export function decodeDescribeGroupsRequest(reader: Reader): { groupIds: string[] } {
  const groupIds = reader.readArray((r) => r.readString());
  reader.expectEnd('DescribeGroups request');
  return { groupIds };
}

export interface GroupDescription {
  errorCode: number;
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: { memberId: string; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }[];
}

export function encodeDescribeGroupsResponse(groups: GroupDescription[]): Buffer {
  return new Writer()
    .int32(0)
    .array(groups, (w, g) => {
      w.int16(g.errorCode).string(g.groupId).string(g.state).string(g.protocolType).string(g.protocol);
      w.array(g.members, (w, m) =>
        w.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment),
      );
    })
    .toBuffer();
}

/** ListGroups v1 has an empty request. */
export function encodeListGroupsResponse(errorCode: number, groups: { groupId: string; protocolType: string }[]): Buffer {
  return new Writer()
    .int32(0)
    .int16(errorCode)
    .array(groups, (w, g) => w.string(g.groupId).string(g.protocolType))
    .toBuffer();
}

/** DeleteGroups v0 and v1 share one layout. */
export function decodeDeleteGroupsRequest(reader: Reader): { groupIds: string[] } {
  const groupIds = reader.readArray((r) => r.readString());
  reader.expectEnd('DeleteGroups request');
  return { groupIds };
}

export function encodeDeleteGroupsResponse(results: { groupId: string; errorCode: number }[]): Buffer {
  return new Writer()
    .int32(0)
    .array(results, (w, r) => w.string(r.groupId).int16(r.errorCode))
    .toBuffer();
}
