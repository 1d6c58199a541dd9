import { fileURLToPath } from 'node:url';
import { requireApiKey } from '../platform/api-key.ts';
import type { FaultRuleInput } from '../platform/fault-rules.ts';
import type { MockSystem, OperationRequest, OperationResponse, SystemConfig } from '../platform/operation.ts';
import { problem } from '../platform/problem.ts';
import { bookShipment } from './booking.ts';
import { generatePartnerData } from './data.ts';
import { partnerHandlers, storeShipment, type PartnerState } from './handlers.ts';
import { rateLimitSettings, takeToken } from './rate-limit.ts';
import { DEFAULT_BURST, DEFAULT_RATE_LIMIT_PER_SECOND } from './reference.ts';

export type { PartnerState } from './handlers.ts';

export const PARTNER_DEFAULT_API_KEY = 'partner-dev-key';

/**
 * What the partner shows unless a scenario replaces it: now and then a 503 that asks for a
 * one-second pause, and now and then a slow answer. Graders install their own rules instead.
 */
export const PARTNER_DEFAULT_FAULTS: FaultRuleInput[] = [
  { id: 'partner-occasional-503', trigger: { probability: 0.05 }, action: { type: 'status', status: 503, retryAfterSeconds: 1 } },
  { id: 'partner-slow-response', trigger: { probability: 0.1 }, action: { type: 'latency', minMs: 50, maxMs: 400 } },
];

export function createPartnerState(config: Pick<SystemConfig, 'seed' | 'size' | 'settings'>): PartnerState {
  const rateLimit = rateLimitSettings(config.settings);
  const preBookedSetting = config.settings.preBookedShipments ?? false;
  if (typeof preBookedSetting !== 'boolean') {
    throw new RangeError(`partner setting preBookedShipments must be true or false, got ${JSON.stringify(preBookedSetting)}`);
  }
  const state: PartnerState = {
    seed: config.seed,
    shipments: [],
    byId: new Map(),
    byReference: new Map(),
    nextSequence: 1,
    rateLimit,
    buckets: new Map(),
  };
  if (preBookedSetting) {
    const { orders, planted } = generatePartnerData({ seed: config.seed, size: config.size });
    const ordersByReference = new Map(orders.map((order) => [order.reference, order]));
    const earliestFirst = [...planted.preBooked].sort((a, b) => a.bookedAt.localeCompare(b.bookedAt));
    for (const { reference, bookedAt } of earliestFirst) {
      storeShipment(state, bookShipment(ordersByReference.get(reference)!, state.nextSequence, Date.parse(bookedAt), config.seed));
    }
  }
  return state;
}

export const partner: MockSystem<PartnerState> = {
  name: 'partner',
  title: 'Mock logistics partner',
  contractPath: fileURLToPath(new URL('./openapi.yaml', import.meta.url)),
  defaults: {
    credentials: { apiKey: PARTNER_DEFAULT_API_KEY },
    settings: { rateLimitPerSecond: DEFAULT_RATE_LIMIT_PER_SECOND, burst: DEFAULT_BURST, preBookedShipments: false },
  },
  createState: (config) => createPartnerState(config),
  authorize: (request, state, context) =>
    requireApiKey(request, context.config.credentials.apiKey) ?? rateLimited(request, state, context.now()),
  defaultFaults: PARTNER_DEFAULT_FAULTS,
  quietSettings: { rateLimitPerSecond: 0 },
  liveSettings: ['rateLimitPerSecond', 'burst'],
  applySettings: (state, settings) => {
    state.rateLimit = rateLimitSettings(settings);
    // Buckets filled under the old limit would let a burst through or hold one back.
    state.buckets.clear();
  },
  handlers: partnerHandlers,
  snapshot: (state) => ({
    shipments: state.shipments.map(({ bookedAt, ...shipment }) => ({ ...shipment, bookedAt: new Date(bookedAt).toISOString() })),
  }),
  entityOf: (request) => {
    if (request.operationId === 'createShipment') {
      const reference = (request.body as { reference?: unknown } | undefined)?.reference;
      return typeof reference === 'string' ? reference : undefined;
    }
    if (request.operationId === 'listShipments') return request.query.reference as string | undefined;
    return request.params.shipmentId;
  },
};

export default partner;

function rateLimited(request: OperationRequest, state: PartnerState, now: number): OperationResponse | undefined {
  const waitSeconds = takeToken(state.buckets, request.headers['x-api-key']!, state.rateLimit, now);
  if (waitSeconds === undefined) return undefined;
  const refusal = problem(429, 'rate-limited', 'Too many requests', `This API key may make ${state.rateLimit.ratePerSecond} request(s) per second (bursts of ${state.rateLimit.burst}). Wait ${waitSeconds} s.`, {
    retryAfterSeconds: waitSeconds,
  });
  return { ...refusal, headers: { ...refusal.headers, 'retry-after': String(waitSeconds) } };
}
