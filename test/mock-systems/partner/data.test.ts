import { describe, expect, it } from 'vitest';
import { checkBookingRules, priceOf } from '../../../mock-systems/partner/booking.ts';
import { generatePartnerData } from '../../../mock-systems/partner/data.ts';
import { REJECTION_REASONS, SERVED_COUNTRIES, SERVICE_LEVELS } from '../../../mock-systems/partner/reference.ts';

describe('partner generator', () => {
  it('gives the same orders for the same seed and different ones for another seed', () => {
    expect(generatePartnerData({ seed: 4, size: 80 })).toEqual(generatePartnerData({ seed: 4, size: 80 }));
    expect(generatePartnerData({ seed: 4, size: 80 }).orders).not.toEqual(generatePartnerData({ seed: 5, size: 80 }).orders);
  });

  it.each([0, 1, 13, 250])('makes exactly size=%i orders with sequential references', (size) => {
    const { orders } = generatePartnerData({ seed: 9, size });
    expect(orders.map((order) => order.reference)).toEqual(orders.map((_, i) => `ORD-${String(i + 1).padStart(6, '0')}`));
  });

  it('refuses a size or seed that is not an integer', () => {
    expect(() => generatePartnerData({ seed: 1, size: 2.5 })).toThrow(/size/);
    expect(() => generatePartnerData({ seed: Number.NaN, size: 2 })).toThrow(/seed/);
  });
});

describe('partner planted orders', () => {
  const size = 300;
  const { orders, planted } = generatePartnerData({ seed: 17, size });
  const invalid = new Map(planted.invalid.map((entry) => [entry.reference, entry]));

  it('plants 8% invalid orders over every rejection reason, and 5% of the valid ones pre-booked', () => {
    expect(planted.invalid).toHaveLength(24);
    expect(new Set(planted.invalid.map((entry) => entry.reason))).toEqual(new Set(REJECTION_REASONS));
    expect(planted.preBooked).toHaveLength(Math.floor((size - 24) * 0.05));
    expect(planted.preBooked.every((entry) => !invalid.has(entry.reference))).toBe(true);
    expect(planted.preBooked.every((entry) => Date.parse(entry.bookedAt) < Date.UTC(2026, 0, 1))).toBe(true);
  });

  it('breaks exactly the planted rule in each invalid order, and no rule in the others', () => {
    for (const order of orders) {
      const violations = checkBookingRules(order);
      const expected = invalid.get(order.reference);
      if (expected) {
        expect(violations.map(({ reason, pointer }) => ({ reason, pointer })), order.reference).toEqual([
          { reason: expected.reason, pointer: expected.pointer },
        ]);
      } else {
        expect(violations, order.reference).toEqual([]);
      }
    }
  });

  it('draws realistic variety: every service level, many destination countries, one to three parcels', () => {
    const valid = orders.filter((order) => !invalid.has(order.reference));
    expect(new Set(valid.map((order) => order.serviceLevel))).toEqual(new Set(SERVICE_LEVELS));
    expect(new Set(valid.map((order) => order.destination.country)).size).toBeGreaterThanOrEqual(10);
    expect(valid.every((order) => SERVED_COUNTRIES.includes(order.destination.country))).toBe(true);
    expect(new Set(orders.map((order) => order.parcels.length))).toEqual(new Set([1, 2, 3]));
  });

  it('prices by service level, weight and border', () => {
    const origin = { name: 'a', street: 'b', postalCode: '10115', city: 'Berlin', country: 'DE' };
    const parcels = [{ weightKg: 2, lengthCm: 1, widthCm: 1, heightCm: 1 }];
    expect(priceOf({ serviceLevel: 'standard', origin, destination: origin, parcels })).toEqual({ amount: 8.9, currency: 'EUR' });
    expect(priceOf({ serviceLevel: 'express', origin, destination: { ...origin, country: 'FR' }, parcels })).toEqual({ amount: 21.7, currency: 'EUR' });
  });
});
