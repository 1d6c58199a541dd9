/**
 * The events on the `orders` topic, as described by the lab's JSON Schemas
 * (schemas/order-event.schema.json), and a parser that refuses anything else.
 */

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

interface EventEnvelope<Type extends string, Payload> {
  eventId: string;
  type: Type;
  orderId: string;
  version: number;
  occurredAt: string;
  payload: Payload;
}

export type OrderPlaced = EventEnvelope<'OrderPlaced', { customerId: string; currency: string; lines: OrderLine[]; total: number }>;
export type OrderAmended = EventEnvelope<'OrderAmended', { total: number; reason: string }>;
export type OrderCancelled = EventEnvelope<'OrderCancelled', { reason: string }>;
export type OrderEvent = OrderPlaced | OrderAmended | OrderCancelled;

export type ParseResult = { ok: true; event: OrderEvent } | { ok: false; reason: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isAmount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 1;

export function parseOrderEvent(raw: Buffer | string | null): ParseResult {
  if (raw === null) return { ok: false, reason: 'empty message' };
  let value: unknown;
  try {
    value = JSON.parse(raw.toString());
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!isObject(value)) return { ok: false, reason: 'not a JSON object' };
  const { eventId, type, orderId, version, occurredAt, payload } = value;
  if (!isText(eventId)) return { ok: false, reason: 'eventId missing' };
  if (!isText(orderId)) return { ok: false, reason: 'orderId missing' };
  if (!Number.isInteger(version) || (version as number) < 1) return { ok: false, reason: 'version must be a positive integer' };
  if (!isText(occurredAt) || Number.isNaN(Date.parse(occurredAt))) return { ok: false, reason: 'occurredAt must be a date-time' };
  if (!isObject(payload)) return { ok: false, reason: 'payload missing' };
  switch (type) {
    case 'OrderPlaced':
      if (!isAmount(payload.total) || !isText(payload.currency) || !isText(payload.customerId) || !Array.isArray(payload.lines)) {
        return { ok: false, reason: 'OrderPlaced payload needs customerId, currency, lines and total' };
      }
      break;
    case 'OrderAmended':
      if (!isAmount(payload.total)) return { ok: false, reason: 'OrderAmended payload needs a positive integer total' };
      break;
    case 'OrderCancelled':
      break;
    default:
      return { ok: false, reason: `unknown event type ${JSON.stringify(type)}` };
  }
  return { ok: true, event: value as unknown as OrderEvent };
}
