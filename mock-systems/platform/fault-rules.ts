/**
 * The fault vocabulary shared by scenarios, the admin API and the fault engine. A rule says
 * which requests it applies to (match), when it fires (trigger) and what happens (action).
 */

export type FaultAction =
  /** Answer with this status and a problem+json body; 429 and 503 carry Retry-After when given. */
  | { type: 'status'; status: number; retryAfterSeconds?: number }
  /** Delay the real response: a fixed time, or a seeded random time between min and max. */
  | { type: 'latency'; ms: number }
  | { type: 'latency'; minMs: number; maxMs: number }
  /** Never answer; the connection stays open until the client gives up. */
  | { type: 'hang' }
  /** Reset the TCP connection (RST) without a response. */
  | { type: 'reset' }
  /** Close the connection cleanly without sending a byte ("empty reply from server"). */
  | { type: 'empty' }
  /** A 200 whose JSON body is cut off mid-document. */
  | { type: 'malformed' }
  /** The ambiguous failure: the operation runs and commits, then the connection is reset. */
  | { type: 'lost-response' };

export interface FaultMatch {
  /** OpenAPI operationId, e.g. `createShipment`. */
  operationId?: string;
  method?: string;
  /** Exact request path, or a prefix ending in `*`. */
  path?: string;
  /** Only requests touching this entity (see MockSystem.entityOf). */
  entity?: string;
  /** Only requests carrying this Idempotency-Key. */
  idempotencyKey?: string;
}

export interface FaultTrigger {
  /**
   * Fire on these matching calls (1-based). Counted per rule, or per entity / idempotency key
   * with `countBy`, so "the first call for every shipment fails" is `{ calls: [1], countBy: 'entity' }`.
   */
  calls?: number[];
  countBy?: 'rule' | 'entity' | 'idempotency-key';
  /** Fire with this seeded probability (0..1) on each matching call. */
  probability?: number;
  /** Stop firing after this many times. */
  times?: number;
}

export interface FaultRuleInput {
  id?: string;
  match?: FaultMatch;
  trigger?: FaultTrigger;
  action: FaultAction;
}

export interface FaultRule extends FaultRuleInput {
  id: string;
  /** How many times the rule has fired. */
  fired: number;
}
