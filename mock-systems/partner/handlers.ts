import { DEFAULT_PAGE_LIMIT, decodeCursor, pageAfter } from '../platform/cursor-pagination.ts';
import type { OperationHandler, OperationResponse } from '../platform/operation.ts';
import { problem } from '../platform/problem.ts';
import { bookShipment, checkBookingRules, reachedEvents, shipmentView, type StoredShipment } from './booking.ts';
import type { ShipmentOrder } from './data.ts';
import type { Bucket, RateLimitSettings } from './rate-limit.ts';

export interface PartnerState {
  seed: number;
  /** In booking order, which is id order. */
  shipments: StoredShipment[];
  byId: Map<string, StoredShipment>;
  byReference: Map<string, StoredShipment>;
  nextSequence: number;
  rateLimit: RateLimitSettings;
  /** Token buckets by API key. */
  buckets: Map<string, Bucket>;
}

const SHIPMENT_ID = /^SHP-\d{6}$/;

export const createShipment: OperationHandler<PartnerState> = (request, state, context) => {
  const order = request.body as ShipmentOrder;
  const violations = checkBookingRules(order);
  if (violations.length > 0) {
    return problem(422, 'booking-rejected', 'The partner cannot accept this booking', `${violations.length} rule(s) broken; see errors. Retrying the same booking will not help.`, {
      errors: violations.map(({ pointer, message, reason }) => ({ pointer: `/body${pointer}`, message, reason })),
    });
  }
  const existing = state.byReference.get(order.reference);
  if (existing) {
    return problem(409, 'duplicate-reference', 'A shipment with this reference is already booked', `Reference ${order.reference} was booked as ${existing.id}; use that booking.`, {
      existingShipmentId: existing.id,
    });
  }
  const shipment = bookShipment(order, state.nextSequence, context.now(), state.seed);
  storeShipment(state, shipment);
  return { status: 201, headers: { location: `/shipments/${shipment.id}` }, body: shipmentView(shipment, context.now()) };
};

export const listShipments: OperationHandler<PartnerState> = (request, state, context) => {
  const limit = (request.query.limit as number | undefined) ?? DEFAULT_PAGE_LIMIT;
  const cursor = request.query.cursor as string | undefined;
  const afterId = cursor === undefined ? undefined : decodeCursor(cursor, SHIPMENT_ID);
  if (cursor !== undefined && afterId === undefined) {
    return problem(400, 'invalid-cursor', 'Invalid cursor', 'Pass back the page.nextCursor of a previous page of this same list, unchanged.', {
      errors: [{ pointer: '/query/cursor', message: 'is not a cursor this list issued' }],
    });
  }
  const reference = request.query.reference as string | undefined;
  const matching = reference === undefined ? state.shipments : state.shipments.filter((shipment) => shipment.reference === reference);
  const page = pageAfter(matching, afterId, limit);
  return { status: 200, body: { data: page.data.map((shipment) => shipmentView(shipment, context.now())), page: page.page } };
};

export const getShipment: OperationHandler<PartnerState> = (request, state, context) => {
  const shipment = state.byId.get(request.params.shipmentId ?? '');
  return shipment ? { status: 200, body: shipmentView(shipment, context.now()) } : notFound(request.params.shipmentId);
};

export const getShipmentTracking: OperationHandler<PartnerState> = (request, state, context) => {
  const shipment = state.byId.get(request.params.shipmentId ?? '');
  if (!shipment) return notFound(request.params.shipmentId);
  const events = reachedEvents(shipment, context.now());
  return {
    status: 200,
    body: { shipmentId: shipment.id, trackingNumber: shipment.trackingNumber, status: events[events.length - 1]?.status ?? 'booked', events },
  };
};

export const partnerHandlers: Record<string, OperationHandler<PartnerState>> = { createShipment, listShipments, getShipment, getShipmentTracking };

export function storeShipment(state: PartnerState, shipment: StoredShipment): void {
  state.shipments.push(shipment);
  state.byId.set(shipment.id, shipment);
  state.byReference.set(shipment.reference, shipment);
  state.nextSequence += 1;
}

function notFound(id: string | undefined): OperationResponse {
  return problem(404, 'shipment-not-found', 'No such shipment', `There is no shipment with id ${id}.`);
}
