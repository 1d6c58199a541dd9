/**
 * The logistics partner's published rules: what it ships, where, and how heavy. The handlers
 * enforce them, the generator plants orders that break them, and graders read them here.
 */

export const SERVICE_LEVELS = ['economy', 'standard', 'express'] as const;
export type ServiceLevel = (typeof SERVICE_LEVELS)[number];

/** Days from booking to delivery, per service level. */
export const TRANSIT_DAYS: Readonly<Record<ServiceLevel, number>> = Object.freeze({ economy: 5, standard: 3, express: 1 });

/** Heaviest parcel the partner accepts, in kilograms. */
export const MAX_PARCEL_WEIGHT_KG = 31.5;

/** Countries the partner delivers to, with the postal code shape it requires for each. */
export const POSTAL_CODE_PATTERNS: Readonly<Record<string, RegExp>> = Object.freeze({
  US: /^\d{5}(-\d{4})?$/,
  CA: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/,
  GB: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/,
  IE: /^[A-Z]\d{2} ?[A-Z\d]{4}$/,
  DE: /^\d{5}$/,
  AT: /^\d{4}$/,
  CH: /^\d{4}$/,
  FR: /^\d{5}$/,
  NL: /^\d{4} ?[A-Z]{2}$/,
  BE: /^\d{4}$/,
  ES: /^\d{5}$/,
  IT: /^\d{5}$/,
});
export const SERVED_COUNTRIES: readonly string[] = Object.freeze(Object.keys(POSTAL_CODE_PATTERNS));

/** Why the partner refuses a booking (422). The generator plants orders with exactly one of these. */
export const REJECTION_REASONS = [
  'parcel-too-heavy',
  'unknown-service-level',
  'unsupported-destination',
  'invalid-postal-code',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Price in EUR: a base per service level, a rate per kilogram, and a surcharge across borders. */
export const PRICING = Object.freeze({
  currency: 'EUR',
  base: Object.freeze({ economy: 4.9, standard: 7.9, express: 14.9 }) as Readonly<Record<ServiceLevel, number>>,
  perKg: Object.freeze({ economy: 0.35, standard: 0.5, express: 0.9 }) as Readonly<Record<ServiceLevel, number>>,
  internationalSurcharge: 5,
});

/** Rate limit defaults: a token bucket per API key. */
export const DEFAULT_RATE_LIMIT_PER_SECOND = 10;
export const DEFAULT_BURST = 20;
