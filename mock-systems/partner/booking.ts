import { deriveSeed } from '../platform/random.ts';
import type { Address, Parcel, ShipmentOrder } from './data.ts';
import {
  MAX_PARCEL_WEIGHT_KG,
  POSTAL_CODE_PATTERNS,
  PRICING,
  SERVICE_LEVELS,
  TRANSIT_DAYS,
  type RejectionReason,
  type ServiceLevel,
} from './reference.ts';

/** A booking as the partner stores it; what clients see is derived from it and the clock. */
export interface StoredShipment {
  id: string;
  reference: string;
  trackingNumber: string;
  serviceLevel: ServiceLevel;
  origin: Address;
  destination: Address;
  parcels: Parcel[];
  price: { amount: number; currency: string };
  /** Milliseconds since the epoch on the partner's clock. */
  bookedAt: number;
  events: TrackingEvent[];
}

export const SHIPMENT_STATUSES = ['booked', 'picked-up', 'in-transit', 'out-for-delivery', 'delivery-failed', 'delivered'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export interface TrackingEvent {
  /** ISO date-time. */
  at: string;
  status: ShipmentStatus;
  location: string;
  description: string;
}

export interface BookingViolation {
  pointer: string;
  message: string;
  reason: RejectionReason;
}

/** The business rules a contract-valid booking must also pass; every violation, not just the first. */
export function checkBookingRules(order: ShipmentOrder): BookingViolation[] {
  const violations: BookingViolation[] = [];
  if (!(SERVICE_LEVELS as readonly string[]).includes(order.serviceLevel)) {
    violations.push({ pointer: '/serviceLevel', reason: 'unknown-service-level', message: `unknown service level; use one of ${SERVICE_LEVELS.join(', ')}` });
  }
  order.parcels.forEach((parcel, index) => {
    if (parcel.weightKg > MAX_PARCEL_WEIGHT_KG) {
      violations.push({ pointer: `/parcels/${index}/weightKg`, reason: 'parcel-too-heavy', message: `parcels may weigh at most ${MAX_PARCEL_WEIGHT_KG} kg` });
    }
  });
  const pattern = POSTAL_CODE_PATTERNS[order.destination.country];
  if (!pattern) {
    violations.push({ pointer: '/destination/country', reason: 'unsupported-destination', message: `the partner does not deliver to ${order.destination.country}` });
  } else if (!pattern.test(order.destination.postalCode)) {
    violations.push({ pointer: '/destination/postalCode', reason: 'invalid-postal-code', message: `not a valid postal code for ${order.destination.country}` });
  }
  return violations;
}

export function priceOf(order: Pick<ShipmentOrder, 'origin' | 'destination' | 'parcels'> & { serviceLevel: ServiceLevel }): { amount: number; currency: string } {
  const weight = order.parcels.reduce((sum, parcel) => sum + parcel.weightKg, 0);
  const surcharge = order.origin.country === order.destination.country ? 0 : PRICING.internationalSurcharge;
  const amount = PRICING.base[order.serviceLevel] + PRICING.perKg[order.serviceLevel] * weight + surcharge;
  return { amount: Math.round(amount * 100) / 100, currency: PRICING.currency };
}

export function shipmentId(sequence: number): string {
  return `SHP-${String(sequence).padStart(6, '0')}`;
}

/** Creates the stored booking for a valid order. Deterministic in seed, sequence and time. */
export function bookShipment(order: ShipmentOrder, sequence: number, bookedAt: number, seed: number): StoredShipment {
  const serviceLevel = order.serviceLevel as ServiceLevel;
  return {
    id: shipmentId(sequence),
    reference: order.reference,
    trackingNumber: `PX${String(deriveSeed(seed, `partner:tracking-number:${order.reference}`)).padStart(10, '0')}`,
    serviceLevel,
    origin: structuredClone(order.origin),
    destination: structuredClone(order.destination),
    parcels: structuredClone(order.parcels),
    price: priceOf({ ...order, serviceLevel }),
    bookedAt,
    events: plannedEvents(order, serviceLevel, bookedAt, seed),
  };
}

/** Share of deliveries whose first attempt fails (decided per reference, so it is seeded). */
export const FAILED_FIRST_ATTEMPT_PER_MILLE = 100;

const HOUR = 3_600_000;

/** The journey is planned at booking; tracking shows the events the clock has reached. */
function plannedEvents(order: ShipmentOrder, serviceLevel: ServiceLevel, bookedAt: number, seed: number): TrackingEvent[] {
  const due = bookedAt + TRANSIT_DAYS[serviceLevel] * 24 * HOUR;
  const from = order.origin.city;
  const to = order.destination.city;
  const events: Array<[number, ShipmentStatus, string, string]> = [
    [bookedAt, 'booked', from, 'Shipment booked'],
    [bookedAt + 3 * HOUR, 'picked-up', from, 'Picked up from the sender'],
    [bookedAt + 10 * HOUR, 'in-transit', `${from} hub`, 'Departed the sorting hub'],
  ];
  const failsFirst = deriveSeed(seed, `partner:delivery:${order.reference}`) % 1000 < FAILED_FIRST_ATTEMPT_PER_MILLE;
  if (failsFirst) {
    events.push(
      [due - 5 * HOUR, 'out-for-delivery', to, 'Out for delivery'],
      [due - HOUR, 'delivery-failed', to, 'Recipient not available; next attempt tomorrow'],
    );
  }
  const finalDay = failsFirst ? due + 24 * HOUR : due;
  events.push([finalDay - 5 * HOUR, 'out-for-delivery', to, 'Out for delivery'], [finalDay - HOUR, 'delivered', to, 'Delivered']);
  return events.map(([at, status, location, description]) => ({ at: isoSeconds(at), status, location, description }));
}

export function reachedEvents(shipment: StoredShipment, now: number): TrackingEvent[] {
  return shipment.events.filter((event) => Date.parse(event.at) <= now);
}

/** What clients see of a booking at `now`. */
export function shipmentView(shipment: StoredShipment, now: number) {
  const reached = reachedEvents(shipment, now);
  const { events: _events, bookedAt, ...rest } = shipment;
  return {
    ...rest,
    status: reached[reached.length - 1]?.status ?? 'booked',
    bookedAt: isoSeconds(bookedAt),
    estimatedDeliveryDate: new Date(bookedAt + TRANSIT_DAYS[shipment.serviceLevel] * 24 * HOUR).toISOString().slice(0, 10),
  };
}

function isoSeconds(ms: number): string {
  return new Date(ms - (ms % 1000)).toISOString().replace('.000Z', 'Z');
}
