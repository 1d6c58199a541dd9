// The second dataset, which only `lab grade` loads: kept here so a candidate's bundle
// (which leaves hidden/ out) carries nothing of it.
import type { Profile } from '../dataset.ts';

/** Only hidden checks see this one: autumn change, more currencies, other whitespace. */
export const HIDDEN_PROFILE: Profile = {
  start: '2025-10-22T00:00:00Z',
  days: 8,
  payments: 64,
  currencies: ['EUR', 'USD', 'CHF', 'JPY', 'KWD'],
  referenceVariants: ['{}', '{}', '{}', '{}\r\n', '  {}', 'lower', '\t{}\t', 'Title '],
  missingInBank: 4,
  missingInErp: 4,
  erpDuplicates: 2,
  bankExactDuplicates: 2,
  bankVariantDuplicates: 1,
  amountMismatches: 5,
  withinTolerance: 4,
  currencyMismatches: 2,
  nearMidnight: 8,
};
