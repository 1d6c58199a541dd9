import { berlinWallTime, minorUnitsOf, type Dataset, type Payment, type StatementLine } from './dataset.ts';

/**
 * The reconciliation spec of the brief, written once in TypeScript over the generated data:
 * what each named query must return. Amounts are in minor units here; the comparison turns
 * the trainee's decimals into minor units of the row's currency.
 */
export type Row = Record<string, string | number>;

/** Tolerance of the brief: differences up to one minor unit are rounding, not a mismatch. */
export const TOLERANCE_MINOR = 1;

export function normalizeReference(reference: string): string {
  return reference.trim().toUpperCase();
}

export function bankMinor(line: StatementLine): number {
  return Math.round(line.amount * 10 ** minorUnitsOf(line.currency));
}

export function businessDay(payment: Payment): string {
  return berlinWallTime(new Date(payment.executedAt)).slice(0, 10);
}

interface Sides {
  erp: Map<string, Payment[]>;
  bank: Map<string, StatementLine[]>;
}

function bySide(dataset: Dataset): Sides {
  const erp = new Map<string, Payment[]>();
  const bank = new Map<string, StatementLine[]>();
  for (const payment of dataset.payments) push(erp, normalizeReference(payment.paymentRef), payment);
  for (const line of dataset.lines) push(bank, normalizeReference(line.endToEndId), line);
  return { erp, bank };
}

export function missingInBank(dataset: Dataset): Row[] {
  const { bank } = bySide(dataset);
  return dataset.payments
    .filter((payment) => !bank.has(normalizeReference(payment.paymentRef)))
    .map((payment) => ({ payment_id: payment.paymentId, payment_ref: payment.paymentRef }));
}

export function missingInErp(dataset: Dataset): Row[] {
  const { erp } = bySide(dataset);
  return dataset.lines
    .filter((line) => !erp.has(normalizeReference(line.endToEndId)))
    .map((line) => ({ line_id: line.lineId, currency: line.currency, amount: bankMinor(line) }));
}

export function duplicates(dataset: Dataset): Row[] {
  const { erp, bank } = bySide(dataset);
  const rows: Row[] = [];
  for (const [system, side] of [['erp', erp], ['bank', bank]] as const) {
    for (const [reference, records] of side) {
      if (records.length > 1) rows.push({ system, reference, occurrences: records.length });
    }
  }
  return rows;
}

/** References exactly once on each side: the pairs whose amount and currency can be compared. */
function pairs(dataset: Dataset): Array<{ reference: string; payment: Payment; line: StatementLine }> {
  const { erp, bank } = bySide(dataset);
  const result: Array<{ reference: string; payment: Payment; line: StatementLine }> = [];
  for (const [reference, payments] of erp) {
    const lines = bank.get(reference);
    if (payments.length === 1 && lines?.length === 1) result.push({ reference, payment: payments[0]!, line: lines[0]! });
  }
  return result;
}

export function amountMismatches(dataset: Dataset): Row[] {
  return pairs(dataset)
    .filter(({ payment, line }) => payment.currency === line.currency && Math.abs(bankMinor(line) - payment.amountMinor) > TOLERANCE_MINOR)
    .map(({ payment, line }) => ({
      payment_ref: payment.paymentRef,
      currency: payment.currency,
      erp_amount: payment.amountMinor,
      bank_amount: bankMinor(line),
      difference: bankMinor(line) - payment.amountMinor,
    }));
}

export function currencyMismatches(dataset: Dataset): Row[] {
  return pairs(dataset)
    .filter(({ payment, line }) => payment.currency !== line.currency)
    .map(({ payment, line }) => ({ payment_ref: payment.paymentRef, erp_currency: payment.currency, bank_currency: line.currency }));
}

export function dailyTotals(dataset: Dataset): Row[] {
  const days = new Map<string, { business_day: string; currency: string; erp_count: number; erp_total: number; bank_count: number; bank_total: number }>();
  const slot = (day: string, currency: string) => {
    const key = `${day}|${currency}`;
    let row = days.get(key);
    if (!row) days.set(key, (row = { business_day: day, currency, erp_count: 0, erp_total: 0, bank_count: 0, bank_total: 0 }));
    return row;
  };
  for (const payment of dataset.payments) {
    const row = slot(businessDay(payment), payment.currency);
    row.erp_count += 1;
    row.erp_total += payment.amountMinor;
  }
  for (const line of dataset.lines) {
    const row = slot(line.bookedAt.slice(0, 10), line.currency);
    row.bank_count += 1;
    row.bank_total += bankMinor(line);
  }
  return [...days.values()].sort((a, b) => a.business_day.localeCompare(b.business_day) || a.currency.localeCompare(b.currency));
}

export type Status = 'duplicate' | 'missing_in_bank' | 'missing_in_erp' | 'currency_mismatch' | 'amount_mismatch' | 'matched';

/** One status per normalised reference, the first that applies in the brief's order. */
export function statusOf(payments: Payment[], lines: StatementLine[]): Status {
  if (payments.length > 1 || lines.length > 1) return 'duplicate';
  const [payment] = payments;
  const [line] = lines;
  if (!line) return 'missing_in_bank';
  if (!payment) return 'missing_in_erp';
  if (payment.currency !== line.currency) return 'currency_mismatch';
  if (Math.abs(bankMinor(line) - payment.amountMinor) > TOLERANCE_MINOR) return 'amount_mismatch';
  return 'matched';
}

export function summary(dataset: Dataset): Row[] {
  const { erp, bank } = bySide(dataset);
  const counts = new Map<Status, number>();
  for (const reference of new Set([...erp.keys(), ...bank.keys()])) {
    const status = statusOf(erp.get(reference) ?? [], bank.get(reference) ?? []);
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return [...counts].map(([status, count]) => ({ status, reference_count: count }));
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
