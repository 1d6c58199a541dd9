import type { Random } from '../../mock-systems/platform/random.ts';

/**
 * The two systems' data for one run: ERP payments (source) and bank statement lines (target),
 * with the mess a real month-end reconciliation meets planted on purpose. Pure: the same
 * generator and profile give the same dataset, so expected answers are computed from it.
 */
export interface Currency {
  code: string;
  /** ISO 4217 exponent: 2 for EUR, 0 for JPY, 3 for KWD. */
  minorUnits: number;
}

export interface Payment {
  paymentId: number;
  paymentRef: string;
  counterparty: string;
  /** In the currency's minor units (cents, yen, fils). */
  amountMinor: number;
  currency: string;
  /** An instant, ISO 8601 in UTC. */
  executedAt: string;
}

export interface StatementLine {
  lineId: number;
  /** The payment reference as the bank passed it through: case and surrounding whitespace vary. */
  endToEndId: string;
  /** Major units as a double, the way the bank importer stores it (float noise included). */
  amount: number;
  currency: string;
  /** Bank-local wall time (Europe/Berlin), `YYYY-MM-DD HH:MM:SS`, no zone. */
  bookedAt: string;
}

export interface Dataset {
  currencies: Currency[];
  payments: Payment[];
  lines: StatementLine[];
}

/** The mess one dataset carries; the visible and the hidden dataset differ on purpose. */
export interface Profile {
  /** First instant of the period (UTC); the period spans a daylight-saving change in Berlin. */
  start: string;
  days: number;
  payments: number;
  /** Currencies payments are made in; each one appears at least once in a clean match. */
  currencies: string[];
  /** Ways the bank mangles a reference; `{}` is replaced by the reference. */
  referenceVariants: string[];
  missingInBank: number;
  missingInErp: number;
  erpDuplicates: number;
  bankExactDuplicates: number;
  bankVariantDuplicates: number;
  amountMismatches: number;
  withinTolerance: number;
  currencyMismatches: number;
  /** Payments executed between 22:00 and 23:59 UTC: another day in Berlin, or close to it. */
  nearMidnight: number;
}

export const CURRENCIES: Currency[] = [
  { code: 'EUR', minorUnits: 2 },
  { code: 'USD', minorUnits: 2 },
  { code: 'GBP', minorUnits: 2 },
  { code: 'CHF', minorUnits: 2 },
  { code: 'JPY', minorUnits: 0 },
  { code: 'KWD', minorUnits: 3 },
];

export const BUSINESS_TIME_ZONE = 'Europe/Berlin';

/** What `lab start` loads and public checks grade: around the spring change to summer time. */
export const VISIBLE_PROFILE: Profile = {
  start: '2025-03-26T00:00:00Z',
  days: 8,
  payments: 48,
  currencies: ['EUR', 'USD', 'GBP', 'JPY'],
  referenceVariants: ['{}', '{}', '{}', ' {}', '{}  ', 'lower', 'Title', '\t{}'],
  missingInBank: 3,
  missingInErp: 3,
  erpDuplicates: 2,
  bankExactDuplicates: 1,
  bankVariantDuplicates: 1,
  amountMismatches: 4,
  withinTolerance: 3,
  currencyMismatches: 2,
  nearMidnight: 6,
};

type Role =
  | 'matched'
  | 'missing-in-bank'
  | 'erp-duplicate'
  /** Submitted twice, and the bank executed neither: a duplicate that is also missing. */
  | 'erp-duplicate-unexecuted'
  /** Submitted again with a corrected amount, without cancelling the first: the copies disagree. */
  | 'erp-duplicate-corrected'
  | 'bank-exact-duplicate'
  | 'bank-variant-duplicate'
  | 'amount-mismatch'
  /** A few minor units off: within a cent for three-decimal currencies, still a mismatch. */
  | 'amount-mismatch-small'
  | 'within-tolerance'
  | 'currency-mismatch';

const MINUTE = 60_000;

export function minorUnitsOf(code: string): number {
  return CURRENCIES.find((currency) => currency.code === code)?.minorUnits ?? 2;
}

export function generateDataset(random: Random, profile: Profile): Dataset {
  const start = Date.parse(profile.start);
  const periodMs = profile.days * 24 * 60 * MINUTE;
  const references = uniqueReferences(random, profile.payments + profile.missingInErp);

  type Draft = Omit<Payment, 'paymentId'> & { role: Role; variant: string };
  const drafts: Draft[] = references.slice(0, profile.payments).map((paymentRef, index) => {
    // The first payments cover every currency with a clean match, so each trap is always there.
    const currency = index < profile.currencies.length ? profile.currencies[index]! : pickCurrency(random, profile.currencies);
    let day = random.number.int({ min: 0, max: profile.days - 1 });
    const nearMidnight = index >= profile.payments - profile.nearMidnight;
    let minuteOfDay = nearMidnight ? random.number.int({ min: 22 * 60, max: 23 * 60 + 59 }) : random.number.int({ min: 6 * 60, max: 20 * 60 });
    // The last two are released between 22:00 and 23:00 UTC, one in summer and one in winter
    // time: the next day in Berlin in summer, the same day in winter. A fixed offset gets one wrong.
    const season = index === profile.payments - 1 ? 'summer' : index === profile.payments - 2 ? 'winter' : undefined;
    if (season) {
      day = random.helpers.arrayElement(lateEveningDays(start, profile.days, season));
      minuteOfDay = random.number.int({ min: 22 * 60, max: 22 * 60 + 59 });
    }
    const executedAt = new Date(start + day * 24 * 60 * MINUTE + minuteOfDay * MINUTE + random.number.int({ min: 0, max: 59 }) * 1000);
    return {
      paymentRef,
      counterparty: random.company.name(),
      amountMinor: drawAmount(random, currency),
      currency,
      executedAt: executedAt.toISOString().replace('.000Z', 'Z'),
      role: 'matched',
      // Messy references on the clean matches too: a join on the raw text must miss them.
      variant: index < profile.currencies.length ? profile.referenceVariants[3 + (index % (profile.referenceVariants.length - 3))]! : random.helpers.arrayElement(profile.referenceVariants),
    };
  });
  if (drafts.some((draft) => Date.parse(draft.executedAt) >= start + periodMs)) throw new Error('payment outside the period');

  assignRoles(random, drafts, profile);

  const payments: Array<Omit<Payment, 'paymentId'>> = [];
  const lines: Array<Omit<StatementLine, 'lineId'>> = [];
  for (const draft of drafts) {
    const { role, variant, ...payment } = draft;
    payments.push(payment);
    if (role === 'erp-duplicate' || role === 'erp-duplicate-unexecuted' || role === 'erp-duplicate-corrected') {
      // Submitted twice: the same reference, a few minutes later, under a new payment id.
      const later = new Date(Date.parse(payment.executedAt) + random.number.int({ min: 1, max: 15 }) * MINUTE);
      const amountMinor = role === 'erp-duplicate-corrected' ? payment.amountMinor + random.number.int({ min: 2, max: Math.max(2, Math.round(payment.amountMinor * 0.05)) }) : payment.amountMinor;
      payments.push({ ...payment, amountMinor, executedAt: later.toISOString().replace('.000Z', 'Z') });
    }
    if (role === 'missing-in-bank' || role === 'erp-duplicate-unexecuted') continue;
    const line = bankLine(random, payment, variant, role);
    lines.push(line);
    if (role === 'bank-exact-duplicate') lines.push({ ...line });
    if (role === 'bank-variant-duplicate') lines.push({ ...line, endToEndId: applyVariant(payment.paymentRef, line.endToEndId === payment.paymentRef ? 'lower' : '{}') });
  }
  for (const [index, paymentRef] of references.slice(profile.payments).entries()) {
    // Lines the ERP never issued: a direct debit, a refund, a payment keyed in at the bank.
    const currency = random.helpers.arrayElement(profile.currencies);
    // The first is booked between 23:00 and 23:59 Berlin time on a winter day: read as UTC (it is
    // Berlin wall time already), it would fall on the next day.
    const lateWinterEvening = index === 0;
    const executedAt = lateWinterEvening
      ? new Date(start + random.helpers.arrayElement(lateEveningDays(start, profile.days, 'winter')) * 24 * 60 * MINUTE + (21 * 60 + 25) * MINUTE + random.number.int({ min: 0, max: 299 }) * 1000)
      : new Date(start + random.number.int({ min: 0, max: periodMs - 4 * 60 * MINUTE }));
    const payment = { paymentRef, counterparty: '', amountMinor: drawAmount(random, currency), currency, executedAt: executedAt.toISOString() };
    lines.push(bankLine(random, payment, random.helpers.arrayElement(profile.referenceVariants), 'matched', lateWinterEvening ? { min: 36, max: 84 } : undefined));
  }

  payments.sort((a, b) => a.executedAt.localeCompare(b.executedAt) || a.paymentRef.localeCompare(b.paymentRef));
  lines.sort((a, b) => a.bookedAt.localeCompare(b.bookedAt));
  const firstPayment = random.number.int({ min: 100_000, max: 800_000 });
  const firstLine = random.number.int({ min: 1_000_000, max: 8_000_000 });
  return {
    currencies: CURRENCIES,
    payments: payments.map((payment, index) => ({ paymentId: firstPayment + index * 3 + (index % 2), ...payment })),
    lines: lines.map((line, index) => ({ lineId: firstLine + index, ...line })),
  };
}

type RoleDraft = { role: Role; currency: string; amountMinor: number };

function assignRoles(random: Random, drafts: RoleDraft[], profile: Profile): void {
  const candidates = random.helpers.shuffle(drafts.slice(profile.currencies.length));
  const take = (role: Role, count: number, fits: (draft: { currency: string }) => boolean = () => true) => {
    for (let taken = 0; taken < count; taken++) {
      let index = candidates.findIndex(fits);
      if (index < 0) {
        // No payment in a fitting currency on this seed: make one, rather than refuse the seed.
        const currency = profile.currencies.find((code) => fits({ currency: code }));
        if (!currency || candidates.length === 0) throw new Error(`not enough payments for ${count} × ${role}`);
        Object.assign(candidates[0]!, { currency, amountMinor: drawAmount(random, currency) });
        index = 0;
      }
      candidates.splice(index, 1)[0]!.role = role;
    }
  };
  const decimals = (units: number) => (draft: { currency: string }) => minorUnitsOf(draft.currency) === units;
  const most = Math.max(...profile.currencies.map(minorUnitsOf));
  // Currency mismatches are drawn among two-decimal currencies, so the amount stays plausible.
  take('currency-mismatch', profile.currencyMismatches, decimals(2));
  take('missing-in-bank', profile.missingInBank);
  // The first duplicate is never executed, the second resubmitted with a corrected amount.
  take('erp-duplicate-unexecuted', Math.min(1, profile.erpDuplicates));
  take('erp-duplicate-corrected', Math.min(1, profile.erpDuplicates - 1));
  take('erp-duplicate', profile.erpDuplicates - 2);
  take('bank-exact-duplicate', profile.bankExactDuplicates);
  take('bank-variant-duplicate', profile.bankVariantDuplicates);
  // Tolerance is one minor unit of the currency, not a cent: a yen off is rounding, a few fils are not.
  take('amount-mismatch-small', Math.min(1, profile.amountMismatches), decimals(most));
  take('amount-mismatch', profile.amountMismatches - 1);
  take('within-tolerance', Math.min(1, profile.withinTolerance), decimals(0));
  take('within-tolerance', profile.withinTolerance - 1);
}

/** Days of the period on which 22:30 UTC falls on the next day in Berlin (summer) or the same day (winter). */
function lateEveningDays(start: number, days: number, season: 'summer' | 'winter'): number[] {
  const result = Array.from({ length: days }, (_, day) => day).filter((day) => {
    const instant = new Date(start + day * 24 * 60 * MINUTE + (22 * 60 + 30) * MINUTE);
    const nextDayInBerlin = berlinWallTime(instant).slice(0, 10) !== instant.toISOString().slice(0, 10);
    return nextDayInBerlin === (season === 'summer');
  });
  if (result.length === 0) throw new Error(`the period has no ${season}-time day; it must span a daylight-saving change`);
  return result;
}

/** Minutes between a payment's execution and its booking at the bank, unless a line needs its own. */
const BOOKING_DELAY = { min: 3, max: 150 };

function bankLine(random: Random, payment: Omit<Payment, 'paymentId'>, variant: string, role: Role, delay = BOOKING_DELAY): Omit<StatementLine, 'lineId'> {
  let currency = payment.currency;
  let amountMinor = payment.amountMinor;
  if (role === 'currency-mismatch') {
    currency = random.helpers.arrayElement(CURRENCIES.filter((other) => other.minorUnits === 2 && other.code !== payment.currency)).code;
  } else if (role === 'amount-mismatch') {
    const difference = random.number.int({ min: 2, max: Math.max(2, Math.round(payment.amountMinor * 0.05)) });
    amountMinor += random.datatype.boolean() ? difference : -difference;
  } else if (role === 'amount-mismatch-small') {
    amountMinor += (random.datatype.boolean() ? 1 : -1) * random.number.int({ min: 2, max: 9 });
  } else if (role === 'within-tolerance') {
    amountMinor += random.datatype.boolean() ? 1 : -1;
  }
  const booked = new Date(Date.parse(payment.executedAt) + random.number.int(delay) * MINUTE);
  return {
    endToEndId: applyVariant(payment.paymentRef, variant),
    amount: importedAmount(random, amountMinor, minorUnitsOf(currency)),
    currency,
    bookedAt: berlinWallTime(booked),
  };
}

/**
 * The bank importer adds principal and fee as doubles, so about a third of the amounts are a
 * hair off their decimal value (10.049999999999999 for 10.05): never compare them with `=`.
 */
function importedAmount(random: Random, amountMinor: number, minorUnits: number): number {
  const scale = 10 ** minorUnits;
  const exact = amountMinor / scale;
  if (!random.datatype.boolean({ probability: 0.35 })) return exact;
  for (let fee = 1; fee < 100; fee++) {
    const noisy = (amountMinor - fee) / scale + fee / scale;
    if (noisy !== exact && Math.round(noisy * scale) === amountMinor) return noisy;
  }
  return exact;
}

export function applyVariant(reference: string, variant: string): string {
  if (variant === 'lower') return reference.toLowerCase();
  if (variant.startsWith('Title')) return `${reference.charAt(0)}${reference.slice(1).toLowerCase()}${variant.slice('Title'.length)}`;
  return variant.replace('{}', reference);
}

export function berlinWallTime(instant: Date): string {
  return BERLIN.format(instant);
}

const BERLIN = new Intl.DateTimeFormat('sv-SE', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function uniqueReferences(random: Random, count: number): string[] {
  const seen = new Set<string>();
  while (seen.size < count) seen.add(`PAY-25${random.string.numeric({ length: 5, allowLeadingZeros: true })}`);
  return random.helpers.shuffle([...seen]);
}

function pickCurrency(random: Random, currencies: string[]): string {
  // Mostly the home currency, as in a German company's payment run.
  return random.datatype.boolean({ probability: 0.55 }) ? 'EUR' : random.helpers.arrayElement(currencies);
}

function drawAmount(random: Random, currency: string): number {
  switch (minorUnitsOf(currency)) {
    case 0:
      return random.number.int({ min: 1_500, max: 2_500_000 });
    case 3:
      return random.number.int({ min: 1_000, max: 4_000_000 });
    default:
      return random.number.int({ min: 1_000, max: 2_500_000 });
  }
}
