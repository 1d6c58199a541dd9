import { field, message } from '../schema.ts';

/** FindCoordinator v0–v4; v4 asks for several keys at once (KIP-699). */
export const FindCoordinatorRequest = message('FindCoordinatorRequest', '0-4', '3+', [
  field('key', 'string', '0-3'),
  field('keyType', 'int8', '1+'),
  field('coordinatorKeys', '[]string', '4+'),
]);

export const FindCoordinatorResponse = message('FindCoordinatorResponse', '0-4', '3+', [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16', '0-3'),
  field('errorMessage', 'string', '1-3', { nullable: '1-3', default: null }),
  field('nodeId', 'int32', '0-3'),
  field('host', 'string', '0-3'),
  field('port', 'int32', '0-3'),
  field(
    'coordinators',
    [
      field('key', 'string', '4+'),
      field('nodeId', 'int32', '4+'),
      field('host', 'string', '4+'),
      field('port', 'int32', '4+'),
      field('errorCode', 'int16', '4+'),
      field('errorMessage', 'string', '4+', { nullable: '4+', default: null }),
    ],
    '4+',
  ),
]);

/** JoinGroup v0–v9: v1 adds the rebalance timeout, v4 the MEMBER_ID_REQUIRED handshake, v6 is flexible. */
export const JoinGroupRequest = message('JoinGroupRequest', '0-9', '6+', [
  field('groupId', 'string', '0+'),
  field('sessionTimeoutMs', 'int32', '0+'),
  field('rebalanceTimeoutMs', 'int32', '1+', { default: -1 }),
  field('memberId', 'string', '0+'),
  field('groupInstanceId', 'string', '5+', { nullable: '5+', default: null }),
  field('protocolType', 'string', '0+'),
  field('protocols', [field('name', 'string', '0+'), field('metadata', 'bytes', '0+')], '0+'),
  field('reason', 'string', '8+', { nullable: '8+', default: null }),
]);

export interface JoinGroupRequestData {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
}

export const JoinGroupResponse = message('JoinGroupResponse', '0-9', '6+', [
  field('throttleTimeMs', 'int32', '2+'),
  field('errorCode', 'int16', '0+'),
  field('generationId', 'int32', '0+', { default: -1 }),
  field('protocolType', 'string', '7+', { nullable: '7+', default: null }),
  field('protocolName', 'string', '0+', { nullable: '7+' }),
  field('leaderId', 'string', '0+'),
  field('skipAssignment', 'bool', '9+'),
  field('memberId', 'string', '0+'),
  field('members', [field('memberId', 'string', '0+'), field('groupInstanceId', 'string', '5+', { nullable: '5+', default: null }), field('metadata', 'bytes', '0+')], '0+'),
]);

/** SyncGroup v0–v5; v5 repeats the protocol type and name so a client can check them. */
export const SyncGroupRequest = message('SyncGroupRequest', '0-5', '4+', [
  field('groupId', 'string', '0+'),
  field('generationId', 'int32', '0+'),
  field('memberId', 'string', '0+'),
  field('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }),
  field('protocolType', 'string', '5+', { nullable: '5+', default: null }),
  field('protocolName', 'string', '5+', { nullable: '5+', default: null }),
  field('assignments', [field('memberId', 'string', '0+'), field('assignment', 'bytes', '0+')], '0+'),
]);

export interface SyncGroupRequestData {
  groupId: string;
  generationId: number;
  memberId: string;
  assignments: { memberId: string; assignment: Buffer }[];
}

export const SyncGroupResponse = message('SyncGroupResponse', '0-5', '4+', [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16', '0+'),
  field('protocolType', 'string', '5+', { nullable: '5+', default: null }),
  field('protocolName', 'string', '5+', { nullable: '5+', default: null }),
  field('assignment', 'bytes', '0+'),
]);

export const HeartbeatRequest = message('HeartbeatRequest', '0-4', '4+', [
  field('groupId', 'string', '0+'),
  field('generationId', 'int32', '0+'),
  field('memberId', 'string', '0+'),
  field('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }),
]);

export const HeartbeatResponse = message('HeartbeatResponse', '0-4', '4+', [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16', '0+'),
]);

/** LeaveGroup v0–v5; from v3 one request may take several members out (KIP-345). */
export const LeaveGroupRequest = message('LeaveGroupRequest', '0-5', '4+', [
  field('groupId', 'string', '0+'),
  field('memberId', 'string', '0-2'),
  field(
    'members',
    [field('memberId', 'string', '3+'), field('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }), field('reason', 'string', '5+', { nullable: '5+', default: null })],
    '3+',
  ),
]);

export interface LeaveGroupRequestData {
  groupId: string;
  memberId: string;
  members: { memberId: string; groupInstanceId: string | null }[];
}

export const LeaveGroupResponse = message('LeaveGroupResponse', '0-5', '4+', [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16', '0+'),
  field(
    'members',
    [field('memberId', 'string', '3+'), field('groupInstanceId', 'string', '3+', { nullable: '3+', default: null }), field('errorCode', 'int16', '3+')],
    '3+',
  ),
]);

export const DescribeGroupsRequest = message('DescribeGroupsRequest', '0-5', '5+', [
  field('groups', '[]string', '0+'),
  field('includeAuthorizedOperations', 'bool', '3+'),
]);

export interface GroupDescription {
  errorCode: number;
  groupId: string;
  groupState: string;
  protocolType: string;
  protocolData: string;
  members: { memberId: string; clientId: string; clientHost: string; memberMetadata: Buffer; memberAssignment: Buffer }[];
}

export const DescribeGroupsResponse = message('DescribeGroupsResponse', '0-5', '5+', [
  field('throttleTimeMs', 'int32', '1+'),
  field(
    'groups',
    [
      field('errorCode', 'int16', '0+'),
      field('groupId', 'string', '0+'),
      field('groupState', 'string', '0+'),
      field('protocolType', 'string', '0+'),
      field('protocolData', 'string', '0+'),
      field(
        'members',
        [
          field('memberId', 'string', '0+'),
          field('groupInstanceId', 'string', '4+', { nullable: '4+', default: null }),
          field('clientId', 'string', '0+'),
          field('clientHost', 'string', '0+'),
          field('memberMetadata', 'bytes', '0+'),
          field('memberAssignment', 'bytes', '0+'),
        ],
        '0+',
      ),
      field('authorizedOperations', 'int32', '3+', { default: -2147483648 }),
    ],
    '0+',
  ),
]);

/** ListGroups v0–v4; v4 filters by state and reports it. */
export const ListGroupsRequest = message('ListGroupsRequest', '0-4', '3+', [field('statesFilter', '[]string', '4+')]);

export const ListGroupsResponse = message('ListGroupsResponse', '0-4', '3+', [
  field('throttleTimeMs', 'int32', '1+'),
  field('errorCode', 'int16', '0+'),
  field('groups', [field('groupId', 'string', '0+'), field('protocolType', 'string', '0+'), field('groupState', 'string', '4+')], '0+'),
]);

export const DeleteGroupsRequest = message('DeleteGroupsRequest', '0-2', '2+', [field('groupsNames', '[]string', '0+')]);

export const DeleteGroupsResponse = message('DeleteGroupsResponse', '0-2', '2+', [
  field('throttleTimeMs', 'int32', '0+'),
  field('results', [field('groupId', 'string', '0+'), field('errorCode', 'int16', '0+')], '0+'),
]);
