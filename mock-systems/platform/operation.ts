import type { FaultRuleInput } from './fault-rules.ts';
import type { Random } from './random.ts';

/**
 * A mock system's behaviour, written once as plain functions over its state. The platform
 * serves these over HTTP (with contract validation, journal and faults) and the msw adapter
 * serves the same functions in-process for unit tests, so the two can never disagree.
 */

/** A request after contract validation: parameters are already coerced to their schema types. */
export interface OperationRequest {
  operationId: string;
  method: string;
  /** The concrete path, e.g. `/accounts/ACC-0001`. */
  path: string;
  /** Path parameters by name. */
  params: Record<string, string>;
  /** Query parameters, coerced to the types the contract declares. */
  query: Record<string, unknown>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: unknown;
}

export interface OperationResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What every handler gets besides the request: the system's clock and configuration. */
export interface OperationContext {
  /** Milliseconds since the epoch on the system's clock (advanced by tests and scenarios). */
  now(): number;
  /** Credentials and settings the system was started with. */
  config: SystemConfig;
}

export interface SystemConfig {
  seed: number;
  /** How many primary records to generate (accounts, customers, shipments…). */
  size: number;
  /** Credentials, by name (e.g. `apiKey`, `clientId`, `clientSecret`). */
  credentials: Record<string, string>;
  /** Free-form per-system settings, e.g. the ERP token lifetime. */
  settings: Record<string, unknown>;
}

export type OperationHandler<State> = (
  request: OperationRequest,
  state: State,
  context: OperationContext,
) => OperationResponse | Promise<OperationResponse>;

/** One mock enterprise system: its contract, its seeded state and its behaviour. */
export interface MockSystem<State> {
  /** Short name used in URLs, env variables and the journal: `crm`, `erp`, `partner`. */
  name: string;
  title: string;
  /** Absolute path of the OpenAPI 3.1 document, the source of truth for routes and schemas. */
  contractPath: string;
  /** Default credentials and settings, overridable at start. */
  defaults: Pick<SystemConfig, 'credentials' | 'settings'>;
  /** Builds the seeded initial state. Pure: same config, same state. */
  createState(config: SystemConfig, random: (stream: string) => Random): State;
  /**
   * Runs before every handler. Returns a response (usually 401 problem+json) to refuse the
   * request, or undefined to let it through. Token and admin endpoints decide for themselves.
   */
  authorize?(request: OperationRequest, state: State, context: OperationContext): OperationResponse | undefined;
  /** Faults the system shows unless a scenario says otherwise (e.g. the partner's occasional 503s). */
  defaultFaults?: FaultRuleInput[];
  /** Settings that turn off the system's everyday limits too (the partner's rate limit), for a run without everyday faults. */
  quietSettings?: Record<string, unknown>;
  /** The settings `POST /__admin/settings` may change while the system runs (the others shape the seeded data). */
  liveSettings?: readonly string[];
  /** Applies the live settings to a running system. Throws a RangeError that says what is allowed when a value is bad. */
  applySettings?(state: State, settings: Record<string, unknown>): void;
  /** Handlers by OpenAPI operationId; every operation in the contract must have one. */
  handlers: Record<string, OperationHandler<State>>;
  /** A JSON view of the state for graders reading over HTTP (`GET /__admin/state`). */
  snapshot(state: State): unknown;
  /**
   * The entity an operation touches, for fault rules scoped to one entity
   * (e.g. the shipment reference of a booking). Optional.
   */
  entityOf?(request: OperationRequest): string | undefined;
}
