import { createRandom, type Random } from '../platform/random.ts';
import { MAX_PARCEL_WEIGHT_KG, POSTAL_CODE_PATTERNS, REJECTION_REASONS, SERVICE_LEVELS, type RejectionReason, type ServiceLevel } from './reference.ts';

/**
 * The shipments waiting to be booked with the partner, seeded. Pure: the same `{ seed, size }`
 * always gives the same orders, so a lab's setup and its grader share one source.
 *
 * `size` is the number of orders. Each order is already in the shape `POST /shipments`
 * accepts. Planted, exactly:
 * - 8% of orders (rounded) break one partner rule and are answered 422, spread round-robin
 *   over `REJECTION_REASONS`;
 * - 5% of the valid orders (rounded down) are listed as `preBooked`: a partner started with
 *   the `preBookedShipments` setting already holds a booking for them (booked before
 *   2026-01-01), so booking them again answers 409 with that booking's id.
 */

export interface Address {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface Parcel {
  weightKg: number;
  lengthCm: number;
  widthCm: number;
  heightCm: number;
}

/** One order awaiting shipment, exactly the body of a booking request. */
export interface ShipmentOrder {
  /** `ORD-` and six digits; the booking's business key. */
  reference: string;
  serviceLevel: string;
  origin: Address;
  destination: Address;
  parcels: Parcel[];
}

export interface PlantedRejection {
  reference: string;
  reason: RejectionReason;
  /** JSON pointer of the offending value in the booking body, as the 422 names it. */
  pointer: string;
}

export interface PreBooking {
  reference: string;
  /** When the earlier booking was made (ISO date-time, before 2026-01-01). */
  bookedAt: string;
}

export interface PartnerData {
  orders: ShipmentOrder[];
  planted: {
    /** Orders the partner refuses with 422, in reference order. */
    invalid: PlantedRejection[];
    /** Valid orders already booked when the `preBookedShipments` setting is on, in reference order. */
    preBooked: PreBooking[];
  };
}

export interface PartnerDataOptions {
  seed: number;
  /** Number of orders. */
  size: number;
}

export const PARTNER_INVALID_RATE = 0.08;
export const PARTNER_PRE_BOOKED_RATE = 0.05;

/** The shipper's own warehouses, where every order leaves from. */
export const WAREHOUSES: readonly Address[] = Object.freeze([
  { name: 'Integration Lab Fulfilment Rotterdam', street: 'Waalhaven Zuidzijde 21', postalCode: '3089 JH', city: 'Rotterdam', country: 'NL' },
  { name: 'Integration Lab Fulfilment Duisburg', street: 'Hafenstraße 9', postalCode: '47119', city: 'Duisburg', country: 'DE' },
  { name: 'Integration Lab Fulfilment Columbus', street: '4500 Logistics Pkwy', postalCode: '43217', city: 'Columbus', country: 'US' },
]);

const CITIES: Record<string, readonly string[]> = {
  US: ['Chicago', 'Austin', 'Denver', 'Seattle', 'Boston'],
  CA: ['Toronto', 'Montréal', 'Calgary', 'Ottawa'],
  GB: ['London', 'Manchester', 'Leeds', 'Bristol'],
  IE: ['Dublin', 'Cork', 'Galway'],
  DE: ['Berlin', 'Hamburg', 'München', 'Köln', 'Leipzig'],
  AT: ['Wien', 'Graz', 'Linz'],
  CH: ['Zürich', 'Bern', 'Basel'],
  FR: ['Paris', 'Lyon', 'Lille', 'Nantes'],
  NL: ['Amsterdam', 'Utrecht', 'Eindhoven', 'Groningen'],
  BE: ['Antwerpen', 'Gent', 'Brussel'],
  ES: ['Madrid', 'Barcelona', 'Valencia'],
  IT: ['Milano', 'Torino', 'Bologna'],
};

/** Postal codes drawn to match the partner's pattern for each country. */
const POSTAL_CODE_SHAPES: Record<string, string> = {
  US: '[0-9]{5}',
  CA: '[A-Z][0-9][A-Z] [0-9][A-Z][0-9]',
  GB: '[A-Z]{2}[0-9]{1,2} [0-9][A-Z]{2}',
  IE: '[A-Z][0-9]{2} [A-Z0-9]{4}',
  DE: '[0-9]{5}',
  AT: '[1-9][0-9]{3}',
  CH: '[1-9][0-9]{3}',
  FR: '[0-9]{5}',
  NL: '[1-9][0-9]{3} [A-Z]{2}',
  BE: '[1-9][0-9]{3}',
  ES: '[0-9]{5}',
  IT: '[0-9]{5}',
};

const DESTINATION_WEIGHTS = Object.keys(POSTAL_CODE_SHAPES).map((country) => ({
  value: country,
  weight: country === 'US' || country === 'DE' ? 4 : country === 'GB' || country === 'NL' || country === 'FR' ? 2 : 1,
}));

/** Countries the partner does not deliver to, with a city each. */
const UNSERVED_DESTINATIONS = [
  { country: 'BR', city: 'São Paulo', postalCode: '01310-100' },
  { country: 'AU', city: 'Sydney', postalCode: '2000' },
  { country: 'JP', city: 'Osaka', postalCode: '530-0001' },
  { country: 'ZA', city: 'Cape Town', postalCode: '8001' },
] as const;

const UNKNOWN_SERVICE_LEVELS = ['overnight', 'same-day', 'EXPRESS', 'premium'] as const;
const INVALID_POSTAL_CODES = ['123', '1234567', 'ABC', 'N/A'] as const;

export function generatePartnerData({ seed, size }: PartnerDataOptions): PartnerData {
  if (!Number.isInteger(seed)) throw new RangeError(`Partner seed must be an integer, got ${seed}`);
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`Partner size must be a non-negative integer, got ${size}`);

  const orderRandom = createRandom(seed, 'partner:orders');
  const orders = Array.from({ length: size }, (_, index) => drawOrder(orderRandom, index + 1));

  const planRandom = createRandom(seed, 'partner:plan');
  const shuffled = planRandom.helpers.shuffle(orders.map((_, index) => index));
  const invalidCount = Math.round(size * PARTNER_INVALID_RATE);
  const invalid: PlantedRejection[] = shuffled.slice(0, invalidCount).map((index, position) => {
    const reason = REJECTION_REASONS[position % REJECTION_REASONS.length]!;
    return { reference: orders[index]!.reference, reason, pointer: breakRule(planRandom, orders[index]!, reason) };
  });
  const validCount = size - invalidCount;
  const preBooked: PreBooking[] = shuffled.slice(invalidCount, invalidCount + Math.floor(validCount * PARTNER_PRE_BOOKED_RATE)).map((index) => ({
    reference: orders[index]!.reference,
    bookedAt: new Date(Math.floor(planRandom.date.between({ from: Date.UTC(2025, 11, 1), to: Date.UTC(2025, 11, 24) }).getTime() / 1000) * 1000)
      .toISOString()
      .replace('.000Z', 'Z'),
  }));

  const byReference = (a: { reference: string }, b: { reference: string }) => a.reference.localeCompare(b.reference);
  return { orders, planted: { invalid: invalid.sort(byReference), preBooked: preBooked.sort(byReference) } };
}

export function orderReference(sequence: number): string {
  return `ORD-${String(sequence).padStart(6, '0')}`;
}

function drawOrder(random: Random, sequence: number): ShipmentOrder {
  const country = random.helpers.weightedArrayElement(DESTINATION_WEIGHTS);
  const parcelCount = random.helpers.weightedArrayElement([
    { value: 1, weight: 70 },
    { value: 2, weight: 20 },
    { value: 3, weight: 10 },
  ]);
  return {
    reference: orderReference(sequence),
    serviceLevel: random.helpers.weightedArrayElement([
      { value: 'standard' as ServiceLevel, weight: 60 },
      { value: 'economy' as ServiceLevel, weight: 25 },
      { value: 'express' as ServiceLevel, weight: 15 },
    ]),
    origin: { ...random.helpers.arrayElement(WAREHOUSES) },
    destination: {
      name: random.number.float({ min: 0, max: 1 }) < 0.3 ? random.company.name() : random.person.fullName(),
      street: random.location.streetAddress(),
      postalCode: random.helpers.fromRegExp(POSTAL_CODE_SHAPES[country]!),
      city: random.helpers.arrayElement(CITIES[country]!),
      country,
    },
    parcels: Array.from({ length: parcelCount }, () => drawParcel(random)),
  };
}

function drawParcel(random: Random): Parcel {
  return {
    weightKg: random.number.float({ min: 0.2, max: 30, fractionDigits: 1 }),
    lengthCm: random.number.int({ min: 10, max: 120 }),
    widthCm: random.number.int({ min: 10, max: 80 }),
    heightCm: random.number.int({ min: 5, max: 80 }),
  };
}

/** Changes one value of a valid order so it breaks `reason`; returns that value's JSON pointer. */
function breakRule(random: Random, order: ShipmentOrder, reason: RejectionReason): string {
  switch (reason) {
    case 'parcel-too-heavy': {
      const index = random.number.int({ min: 0, max: order.parcels.length - 1 });
      order.parcels[index]!.weightKg = random.number.float({ min: MAX_PARCEL_WEIGHT_KG + 0.1, max: 70, fractionDigits: 1 });
      return `/parcels/${index}/weightKg`;
    }
    case 'unknown-service-level':
      order.serviceLevel = random.helpers.arrayElement(UNKNOWN_SERVICE_LEVELS);
      return '/serviceLevel';
    case 'unsupported-destination': {
      const place = random.helpers.arrayElement(UNSERVED_DESTINATIONS);
      Object.assign(order.destination, place);
      return '/destination/country';
    }
    case 'invalid-postal-code': {
      const pattern = POSTAL_CODE_PATTERNS[order.destination.country]!;
      order.destination.postalCode = random.helpers.arrayElement(INVALID_POSTAL_CODES.filter((code) => !pattern.test(code)));
      return '/destination/postalCode';
    }
  }
}
