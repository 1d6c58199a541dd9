import { fileURLToPath } from 'node:url';
import type { MockSystem, OperationRequest, SystemConfig } from '../platform/operation.ts';
import type { Random } from '../platform/random.ts';
import { generateErpData } from './data.ts';
import { authorizeErpRequest, erpHandlers, type ErpState } from './handlers.ts';

export type { ErpState } from './handlers.ts';
export type { IdempotencyRecord, IssuedToken } from './handlers.ts';

export const ERP_DEFAULT_TOKEN_TTL_SECONDS = 300;

/**
 * The mock ERP: customers, sales orders, invoices and payments behind OAuth 2.0 client
 * credentials, with an Idempotency-Key required on every write. See docs/erp.md.
 */
export const erp: MockSystem<ErpState> = {
  name: 'erp',
  title: 'Mock ERP',
  contractPath: fileURLToPath(new URL('./openapi.yaml', import.meta.url)),
  defaults: {
    credentials: { clientId: 'lab-client', clientSecret: 'lab-secret' },
    settings: { tokenTtlSeconds: ERP_DEFAULT_TOKEN_TTL_SECONDS },
  },
  createState: createErpState,
  authorize: authorizeErpRequest,
  handlers: erpHandlers,
  snapshot: snapshotErpState,
  entityOf: erpEntityOf,
  liveSettings: ['tokenTtlSeconds'],
  // Tokens already issued keep the lifetime they were given.
  applySettings: (state, settings) => {
    state.tokenTtlSeconds = tokenTtlSeconds(settings.tokenTtlSeconds);
  },
};

export default erp;

export function createErpState(config: SystemConfig, random: (stream: string) => Random): ErpState {
  const { clientId, clientSecret } = config.credentials;
  if (!clientId || !clientSecret) {
    throw new Error('ERP: credentials.clientId and credentials.clientSecret must both be non-empty strings');
  }
  const data = generateErpData({ seed: config.seed, size: config.size });
  return {
    customers: new Map(data.customers.map((record) => [record.id, record])),
    salesOrders: new Map(data.salesOrders.map((record) => [record.id, record])),
    invoices: new Map(data.invoices.map((record) => [record.id, record])),
    payments: new Map(data.payments.map((record) => [record.id, record])),
    sequences: {
      customer: data.customers.length,
      salesOrder: data.salesOrders.length,
      invoice: data.invoices.length,
      payment: data.payments.length,
    },
    idempotency: new Map(),
    clients: new Map([[clientId, clientSecret]]),
    tokens: new Map(),
    tokensIssued: 0,
    tokenTtlSeconds: tokenTtlSeconds(config.settings.tokenTtlSeconds),
    tokenRandom: random('tokens'),
  };
}

function tokenTtlSeconds(value: unknown): number {
  if (value === undefined) return ERP_DEFAULT_TOKEN_TTL_SECONDS;
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1) {
    throw new RangeError(`ERP: settings.tokenTtlSeconds must be a positive whole number of seconds, got ${JSON.stringify(value)}`);
  }
  return seconds;
}

/**
 * What graders read at GET /__admin/state: every record, and each remembered write by client and
 * Idempotency-Key. Token values and client secrets stay out.
 */
export function snapshotErpState(state: ErpState) {
  return structuredClone({
    customers: [...state.customers.values()],
    salesOrders: [...state.salesOrders.values()],
    invoices: [...state.invoices.values()],
    payments: [...state.payments.values()],
    idempotency: [...state.idempotency.values()].map((record) => ({
      clientId: record.clientId,
      key: record.key,
      operationId: record.operationId,
      method: record.method,
      path: record.path,
      status: record.response.status,
      resourceId: resourceIdOf(record.response.body),
      createdAt: record.createdAt,
      replays: record.replays,
    })),
    tokensIssued: state.tokensIssued,
  });
}

function resourceIdOf(body: unknown): string | undefined {
  const id = (body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

const ENTITY_FIELDS = ['externalRef', 'orderId', 'invoiceId', 'customerId', 'paymentId'] as const;

/**
 * The record a request is about, so a fault rule can target one: the id in the path, else the
 * body's natural key (externalRef of a new customer or order, orderId of a new invoice,
 * invoiceId of a payment), else the filter of a list.
 */
export function erpEntityOf(request: OperationRequest): string | undefined {
  const fromPath = Object.values(request.params)[0];
  if (fromPath) return fromPath;
  for (const source of [request.body, request.query]) {
    if (!source || typeof source !== 'object') continue;
    for (const field of ENTITY_FIELDS) {
      const value = (source as Record<string, unknown>)[field];
      if (typeof value === 'string' && value !== '') return value;
    }
  }
  return undefined;
}
