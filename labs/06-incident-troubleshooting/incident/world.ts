import { generateErpData } from '../../../mock-systems/erp/data.ts';
import { generatePartnerData, type ShipmentOrder } from '../../../mock-systems/partner/data.ts';
import type { ExportOrder } from '../job/export.ts';

/** Orders in the night of the incident, and in the next night's run the rehearsal replays. */
export const TONIGHT_ORDERS = 40;
export const NEXT_NIGHT_ORDERS = 40;
const ORDERS_NEEDED = TONIGHT_ORDERS + NEXT_NIGHT_ORDERS;
const FIRST_ERP_SIZE = 80;
const PARTNER_POOL = 120;

export interface World {
  /** Customers the ERP is reset with; enough for every order the two nights need. */
  erpSize: number;
  tonight: ExportOrder[];
  nextNight: ExportOrder[];
}

/**
 * The warehouse's exports for the night of the incident and the night after: ERP sales orders
 * that are not cancelled, in id order, each with a parcel booking body from the partner's
 * seeded orders. The orders at `rejected` positions get a body the carrier refuses (422).
 * The ERP is grown until it holds enough orders, so every seed has a world.
 */
export function buildWorld(seed: number, rejected: { tonight: number[]; nextNight: number[] }): World {
  let erpSize = FIRST_ERP_SIZE;
  let orderIds = shippableOrderIds(seed, erpSize);
  while (orderIds.length < ORDERS_NEEDED) {
    erpSize += 20;
    orderIds = shippableOrderIds(seed, erpSize);
  }
  const { orders, planted } = generatePartnerData({ seed, size: PARTNER_POOL });
  const invalid = new Set(planted.invalid.map((rejection) => rejection.reference));
  const valid = orders.filter((order) => !invalid.has(order.reference));
  const refused = orders.filter((order) => invalid.has(order.reference));
  const rejectedCount = rejected.tonight.length + rejected.nextNight.length;
  if (valid.length < ORDERS_NEEDED || refused.length < rejectedCount) throw new Error(`the partner pool of ${PARTNER_POOL} orders is too small for ${ORDERS_NEEDED} orders; raise PARTNER_POOL`);
  let nextValid = 0;
  let nextRefused = 0;
  const exportOf = (ids: string[], rejectedPositions: number[]): ExportOrder[] =>
    ids.map((orderId, index) => toExport(orderId, rejectedPositions.includes(index) ? refused[nextRefused++]! : valid[nextValid++]!));
  return {
    erpSize,
    tonight: exportOf(orderIds.slice(0, TONIGHT_ORDERS), rejected.tonight),
    nextNight: exportOf(orderIds.slice(TONIGHT_ORDERS, ORDERS_NEEDED), rejected.nextNight),
  };
}

function shippableOrderIds(seed: number, size: number): string[] {
  return generateErpData({ seed, size })
    .salesOrders.filter((order) => order.status !== 'cancelled')
    .map((order) => order.id)
    .sort();
}

function toExport(orderId: string, body: ShipmentOrder): ExportOrder {
  return { orderId, serviceLevel: body.serviceLevel, origin: body.origin, destination: body.destination, parcels: body.parcels };
}
