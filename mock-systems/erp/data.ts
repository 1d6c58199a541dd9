import { createRandom, type Random } from '../platform/random.ts';

/**
 * The ERP's seeded books: customers, sales orders, invoices and payments as they stand at the
 * reference instant. Graders call `generateErpData` to know what the ERP holds before a
 * submission runs, so this module is pure: same `{ seed, size }`, same records, nothing else read.
 *
 * The ERP is strict, so its mess is not malformed data but the kind of history a real ledger has,
 * listed in `mess` so a grader or a test can count it:
 * - customers keyed in directly in the ERP, without an `externalRef` (no CRM link);
 * - duplicate customers: the same person keyed in a second time, later, without an `externalRef`;
 * - amended invoices whose `amount` differs from their order's `total` (discount or surcharge);
 * - partially paid invoices (`open` with `amountPaid > 0`);
 * - invoices paid by two or three split payments;
 * - overdue invoices (`open`, due date before the reference instant).
 * With ten or more customers every kind is planted at least once.
 */

/** All seeded dates lie before this instant; new records are stamped with the system clock. */
export const ERP_REFERENCE_INSTANT = Date.UTC(2026, 0, 1);

export const ERP_CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN'] as const;
export type ErpCurrency = (typeof ERP_CURRENCIES)[number];

export type ErpCustomerStatus = 'active' | 'inactive' | 'prospect';
export type ErpSalesOrderStatus = 'open' | 'invoiced' | 'cancelled';
export type ErpInvoiceStatus = 'open' | 'paid' | 'cancelled';

/** Amounts everywhere are integers in the currency's minor unit (cents). */
export interface ErpCustomer {
  id: string;
  /** The customer's id in the system it came from (the CRM contact id); absent for legacy records. */
  externalRef?: string;
  name: string;
  email: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** `YYYY-MM-DD`. */
  birthDate?: string;
  status: ErpCustomerStatus;
  createdAt: string;
}

export interface ErpOrderLine {
  sku: string;
  description?: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

export interface ErpSalesOrder {
  id: string;
  customerId: string;
  externalRef?: string;
  currency: ErpCurrency;
  lines: ErpOrderLine[];
  total: number;
  status: ErpSalesOrderStatus;
  createdAt: string;
}

export interface ErpInvoice {
  id: string;
  orderId: string;
  customerId: string;
  currency: ErpCurrency;
  lines: ErpOrderLine[];
  amount: number;
  amountPaid: number;
  status: ErpInvoiceStatus;
  /** `YYYY-MM-DD`. */
  dueDate: string;
  createdAt: string;
  updatedAt: string;
  amendedAt?: string;
  paidAt?: string;
  cancelledAt?: string;
}

export interface ErpPayment {
  id: string;
  invoiceId: string;
  customerId: string;
  amount: number;
  currency: ErpCurrency;
  /** When the money arrived at the bank. */
  receivedAt: string;
  reference: string;
  /** When the payment was posted in the ERP. */
  createdAt: string;
}

/** Ids of the records that carry each kind of planted mess. */
export interface ErpMess {
  customersWithoutExternalRef: string[];
  duplicateCustomers: Array<{ id: string; duplicateOf: string }>;
  amendedInvoices: string[];
  partiallyPaidInvoices: string[];
  splitPaymentInvoices: string[];
  overdueInvoices: string[];
}

export interface ErpData {
  /** ISO form of ERP_REFERENCE_INSTANT. */
  referenceInstant: string;
  customers: ErpCustomer[];
  salesOrders: ErpSalesOrder[];
  invoices: ErpInvoice[];
  payments: ErpPayment[];
  mess: ErpMess;
}

export interface ErpDataOptions {
  seed: number;
  /** Number of customers, duplicates included. */
  size: number;
}

export const ERP_ID_PREFIX = { customer: 'CUS', salesOrder: 'SO', invoice: 'INV', payment: 'PAY' } as const;

export function formatErpId(kind: keyof typeof ERP_ID_PREFIX, sequence: number): string {
  return `${ERP_ID_PREFIX[kind]}-${String(sequence).padStart(6, '0')}`;
}

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const PAYMENT_TERMS_DAYS = 30;

const COUNTRY_WEIGHTS: Array<{ value: string; weight: number }> = [
  { value: 'DE', weight: 20 }, { value: 'GB', weight: 12 }, { value: 'US', weight: 10 },
  { value: 'FR', weight: 10 }, { value: 'NL', weight: 8 }, { value: 'ES', weight: 6 },
  { value: 'IT', weight: 6 }, { value: 'CH', weight: 5 }, { value: 'SE', weight: 5 },
  { value: 'PL', weight: 5 }, { value: 'AT', weight: 4 }, { value: 'BE', weight: 3 },
  { value: 'IE', weight: 3 }, { value: 'NO', weight: 3 }, { value: 'DK', weight: 3 },
  { value: 'FI', weight: 2 },
];

const CURRENCY_BY_COUNTRY: Record<string, ErpCurrency> = {
  GB: 'GBP', US: 'USD', CH: 'CHF', SE: 'SEK', NO: 'NOK', DK: 'DKK', PL: 'PLN',
};

/** Rough list-price conversion from EUR; the ERP prices each market in its own currency. */
const RATE_FROM_EUR: Record<ErpCurrency, number> = {
  EUR: 1, USD: 1.08, GBP: 0.85, CHF: 0.95, SEK: 11.5, NOK: 11.6, DKK: 7.46, PLN: 4.3,
};

/** A fixed catalogue so SKUs and list prices look the same on every seed. Prices in EUR cents. */
const CATALOGUE: Array<{ sku: string; description: string; priceEur: number }> = [
  { sku: 'SKU-1001', description: 'Barcode scanner, handheld', priceEur: 12900 },
  { sku: 'SKU-1002', description: 'Thermal label printer', priceEur: 34900 },
  { sku: 'SKU-1003', description: 'Thermal labels, 1000 pcs', priceEur: 1850 },
  { sku: 'SKU-1004', description: 'Pallet jack, manual', priceEur: 42000 },
  { sku: 'SKU-1005', description: 'Stretch film, 6 rolls', priceEur: 5400 },
  { sku: 'SKU-1006', description: 'Shipping carton, medium, 50 pcs', priceEur: 3990 },
  { sku: 'SKU-1007', description: 'Packing tape, 36 rolls', priceEur: 4590 },
  { sku: 'SKU-1008', description: 'Warehouse shelving unit', priceEur: 21900 },
  { sku: 'SKU-1009', description: 'Safety gloves, 12 pairs', priceEur: 2490 },
  { sku: 'SKU-1010', description: 'Mobile terminal, rugged', priceEur: 89900 },
  { sku: 'SKU-1011', description: 'Terminal charging cradle', priceEur: 15900 },
  { sku: 'SKU-1012', description: 'Dock scale, 300 kg', priceEur: 64500 },
  { sku: 'SKU-1013', description: 'Cable ties, 1000 pcs', priceEur: 990 },
  { sku: 'SKU-1014', description: 'Hi-vis vest', priceEur: 650 },
  { sku: 'SKU-1015', description: 'Label software licence, yearly', priceEur: 29900 },
  { sku: 'SKU-1016', description: 'On-site installation, per day', priceEur: 95000 },
];

export function generateErpData({ seed, size }: ErpDataOptions): ErpData {
  if (!Number.isInteger(seed)) throw new Error(`ERP data: seed must be an integer, got ${String(seed)}`);
  if (!Number.isInteger(size) || size < 0) throw new Error(`ERP data: size must be a non-negative integer, got ${String(size)}`);

  const plantMess = size >= 10;
  const customers = generateCustomers(createRandom(seed, 'erp:customers'), size, plantMess);
  const salesOrders = generateSalesOrders(createRandom(seed, 'erp:orders'), customers.records);
  const ledger = generateInvoicesAndPayments(createRandom(seed, 'erp:invoices'), salesOrders, plantMess);

  const referenceDate = isoDate(ERP_REFERENCE_INSTANT);
  return {
    referenceInstant: new Date(ERP_REFERENCE_INSTANT).toISOString(),
    customers: customers.records,
    salesOrders,
    invoices: ledger.invoices,
    payments: ledger.payments,
    mess: {
      customersWithoutExternalRef: customers.records.filter((c) => c.externalRef === undefined).map((c) => c.id),
      duplicateCustomers: customers.duplicates,
      amendedInvoices: ledger.invoices.filter((i) => i.amendedAt !== undefined).map((i) => i.id),
      partiallyPaidInvoices: ledger.invoices.filter((i) => i.status === 'open' && i.amountPaid > 0).map((i) => i.id),
      splitPaymentInvoices: ledger.splitPaymentInvoices,
      overdueInvoices: ledger.invoices.filter((i) => i.status === 'open' && i.dueDate < referenceDate).map((i) => i.id),
    },
  };
}

interface CustomerDraft extends Omit<ErpCustomer, 'id'> {
  duplicateOf?: CustomerDraft;
}

function generateCustomers(random: Random, size: number, plantMess: boolean) {
  const duplicateCount = plantMess ? Math.max(1, Math.floor(size / 25)) : 0;
  const originalCount = size - duplicateCount;
  const withoutRefCount = plantMess ? Math.max(1, Math.round(originalCount * 0.06)) : 0;
  const withoutRef = new Set(random.helpers.arrayElements(range(originalCount), withoutRefCount));
  const usedRefs = new Set<string>();

  const drafts: CustomerDraft[] = [];
  for (let i = 0; i < originalCount; i++) {
    const firstName = random.person.firstName();
    const lastName = random.person.lastName();
    const created = ERP_REFERENCE_INSTANT - random.number.int({ min: 30 * DAY, max: 1000 * DAY });
    const draft: CustomerDraft = {
      name: `${firstName} ${lastName}`,
      email: emailFor(random, firstName, lastName),
      country: random.helpers.weightedArrayElement(COUNTRY_WEIGHTS),
      status: random.helpers.weightedArrayElement<ErpCustomerStatus>([
        { value: 'active', weight: 84 }, { value: 'inactive', weight: 8 }, { value: 'prospect', weight: 8 },
      ]),
      createdAt: new Date(created).toISOString(),
    };
    if (random.number.float({ min: 0, max: 1 }) < 0.95) {
      draft.birthDate = isoDate(random.date.between({ from: Date.UTC(1950, 0, 1), to: Date.UTC(2005, 11, 31) }).getTime());
    }
    if (!withoutRef.has(i)) draft.externalRef = uniqueRef(random, usedRefs);
    drafts.push(draft);
  }

  const originals = drafts.slice();
  for (const original of random.helpers.arrayElements(originals, Math.min(duplicateCount, originals.length))) {
    const created = random.number.int({ min: Date.parse(original.createdAt) + DAY, max: ERP_REFERENCE_INSTANT - DAY });
    const duplicate: CustomerDraft = {
      name: original.name,
      email: original.email,
      country: original.country,
      status: 'active',
      createdAt: new Date(created).toISOString(),
      duplicateOf: original,
    };
    if (original.birthDate !== undefined) duplicate.birthDate = original.birthDate;
    drafts.push(duplicate);
  }

  // Ids follow creation order, as a real sequence would.
  const ordered = drafts.map((draft, index) => ({ draft, index }))
    .sort((a, b) => a.draft.createdAt.localeCompare(b.draft.createdAt) || a.index - b.index);
  const idOf = new Map<CustomerDraft, string>();
  ordered.forEach(({ draft }, position) => idOf.set(draft, formatErpId('customer', position + 1)));

  const records = ordered.map(({ draft }): ErpCustomer => ({
    id: idOf.get(draft)!,
    ...(draft.externalRef !== undefined ? { externalRef: draft.externalRef } : {}),
    name: draft.name,
    email: draft.email,
    country: draft.country,
    ...(draft.birthDate !== undefined ? { birthDate: draft.birthDate } : {}),
    status: draft.status,
    createdAt: draft.createdAt,
  }));
  const duplicates = ordered
    .filter(({ draft }) => draft.duplicateOf !== undefined)
    .map(({ draft }) => ({ id: idOf.get(draft)!, duplicateOf: idOf.get(draft.duplicateOf!)! }));
  return { records, duplicates };
}

function generateSalesOrders(random: Random, customers: ErpCustomer[]): ErpSalesOrder[] {
  const drafts: Array<Omit<ErpSalesOrder, 'id'>> = [];
  for (const customer of customers) {
    const count = customer.status === 'prospect' ? 0
      : customer.status === 'inactive' ? random.number.int({ min: 0, max: 1 })
        : random.helpers.weightedArrayElement([
          { value: 0, weight: 15 }, { value: 1, weight: 35 }, { value: 2, weight: 30 }, { value: 3, weight: 20 },
        ]);
    const currency = CURRENCY_BY_COUNTRY[customer.country] ?? 'EUR';
    for (let n = 0; n < count; n++) {
      const created = between(random, Date.parse(customer.createdAt) + HOUR, ERP_REFERENCE_INSTANT - HOUR);
      const lines = random.helpers.arrayElements(CATALOGUE, { min: 1, max: 4 }).map((item) => {
        const quantity = random.helpers.weightedArrayElement([
          { value: 1, weight: 40 }, { value: 2, weight: 20 }, { value: random.number.int({ min: 3, max: 10 }), weight: 30 },
          { value: random.number.int({ min: 11, max: 50 }), weight: 10 },
        ]);
        const unitPrice = Math.round(item.priceEur * RATE_FROM_EUR[currency]);
        return { sku: item.sku, description: item.description, quantity, unitPrice, lineTotal: quantity * unitPrice };
      });
      drafts.push({
        customerId: customer.id,
        currency,
        lines,
        total: lines.reduce((sum, line) => sum + line.lineTotal, 0),
        // Orders from the last three days have not been invoiced yet; older ones mostly have.
        status: random.number.float({ min: 0, max: 1 }) < 0.05 ? 'cancelled'
          : created > ERP_REFERENCE_INSTANT - 3 * DAY || random.number.float({ min: 0, max: 1 }) < 0.12 ? 'open' : 'invoiced',
        createdAt: new Date(created).toISOString(),
      });
    }
  }
  return inCreationOrder(drafts).map((draft, i) => ({ id: formatErpId('salesOrder', i + 1), ...draft }));
}

type InvoicePlan = 'open' | 'partial' | 'paid' | 'split' | 'cancelled';

function generateInvoicesAndPayments(random: Random, orders: ErpSalesOrder[], plantMess: boolean) {
  const invoiced = orders.filter((o) => o.status === 'invoiced');
  const plans: InvoicePlan[] = invoiced.map(() => random.helpers.weightedArrayElement<InvoicePlan>([
    { value: 'paid', weight: 55 }, { value: 'split', weight: 8 }, { value: 'open', weight: 22 },
    { value: 'partial', weight: 9 }, { value: 'cancelled', weight: 6 },
  ]));
  const amended = invoiced.map(() => random.number.float({ min: 0, max: 1 }) < 0.08);
  if (plantMess && invoiced.length >= 4) {
    // Plant each kind of mess at least once, on distinct invoices, so small seeds still teach it.
    // The oldest invoice stays open: long overdue.
    const [a, b, d] = random.helpers.shuffle(range(invoiced.length - 1).map((i) => i + 1));
    plans[0] = 'open';
    plans[a!] = 'partial';
    plans[b!] = 'split';
    amended[d!] = true;
    if (plans[d!] === 'cancelled') plans[d!] = 'paid';
  }

  const invoiceDrafts: Array<{ invoice: Omit<ErpInvoice, 'id'>; plan: InvoicePlan }> = [];
  const paymentDrafts: Array<{ payment: Omit<ErpPayment, 'id' | 'invoiceId'>; invoice: Omit<ErpInvoice, 'id'> }> = [];

  invoiced.forEach((order, index) => {
    const plan = plans[index]!;
    const created = Math.min(
      Date.parse(order.createdAt) + random.number.int({ min: HOUR, max: 3 * DAY }),
      ERP_REFERENCE_INSTANT - 30 * 60 * 1000,
    );
    const invoice: Omit<ErpInvoice, 'id'> = {
      orderId: order.id,
      customerId: order.customerId,
      currency: order.currency,
      lines: order.lines.map((line) => ({ ...line })),
      amount: order.total,
      amountPaid: 0,
      status: 'open',
      dueDate: isoDate(created + PAYMENT_TERMS_DAYS * DAY),
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(created).toISOString(),
    };
    let lastChange = created;
    if (amended[index] && plan !== 'cancelled') {
      const factor = random.number.float({ min: 0, max: 1 }) < 0.7
        ? 1 - random.number.float({ min: 0.05, max: 0.15 })
        : 1 + random.number.float({ min: 0.02, max: 0.1 });
      invoice.amount = Math.max(1, Math.round(order.total * factor));
      lastChange = between(random, created, Math.min(created + 10 * DAY, ERP_REFERENCE_INSTANT));
      invoice.amendedAt = new Date(lastChange).toISOString();
    }

    if (plan === 'cancelled') {
      lastChange = between(random, created, Math.min(created + 20 * DAY, ERP_REFERENCE_INSTANT));
      invoice.status = 'cancelled';
      invoice.cancelledAt = new Date(lastChange).toISOString();
    } else if (plan !== 'open' && invoice.amount >= 3) {
      const parts = plan === 'split' ? splitAmount(random, invoice.amount, random.number.int({ min: 2, max: 3 }))
        : plan === 'partial' ? [Math.max(1, Math.round(invoice.amount * random.number.float({ min: 0.2, max: 0.7 })))]
          : [invoice.amount];
      let received = lastChange;
      for (const amount of parts) {
        received = between(random, received, Math.min(received + 40 * DAY, ERP_REFERENCE_INSTANT - HOUR));
        const posted = Math.min(received + random.number.int({ min: 10 * 60 * 1000, max: 36 * HOUR }), ERP_REFERENCE_INSTANT);
        paymentDrafts.push({
          invoice,
          payment: {
            customerId: invoice.customerId,
            amount,
            currency: invoice.currency,
            receivedAt: new Date(received).toISOString(),
            reference: `BNK-${random.string.alphanumeric({ length: 12, casing: 'upper' })}`,
            createdAt: new Date(posted).toISOString(),
          },
        });
        invoice.amountPaid += amount;
        lastChange = Math.max(lastChange, posted);
      }
      if (invoice.amountPaid >= invoice.amount) {
        invoice.status = 'paid';
        invoice.paidAt = new Date(lastChange).toISOString();
      }
    }
    invoice.updatedAt = new Date(lastChange).toISOString();
    invoiceDrafts.push({ invoice, plan });
  });

  const orderedInvoices = inCreationOrder(invoiceDrafts.map((d) => d.invoice));
  const idOfInvoice = new Map(orderedInvoices.map((invoice, i) => [invoice, formatErpId('invoice', i + 1)]));
  const invoices = orderedInvoices.map((invoice) => ({ id: idOfInvoice.get(invoice)!, ...invoice }));

  const orderedPayments = paymentDrafts
    .map((draft, index) => ({ draft, index }))
    .sort((a, b) => a.draft.payment.createdAt.localeCompare(b.draft.payment.createdAt) || a.index - b.index);
  const payments = orderedPayments.map(({ draft }, i) => ({
    id: formatErpId('payment', i + 1),
    invoiceId: idOfInvoice.get(draft.invoice)!,
    ...draft.payment,
  }));

  const paymentCount = new Map<string, number>();
  for (const payment of payments) paymentCount.set(payment.invoiceId, (paymentCount.get(payment.invoiceId) ?? 0) + 1);
  const splitPaymentInvoices = invoices
    .filter((i) => i.status === 'paid' && (paymentCount.get(i.id) ?? 0) > 1)
    .map((i) => i.id);
  return { invoices, payments, splitPaymentInvoices };
}

/** Sorts by createdAt; ties keep generation order so the result does not depend on the sort. */
function inCreationOrder<T extends { createdAt: string }>(items: T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => a.item.createdAt.localeCompare(b.item.createdAt) || a.index - b.index)
    .map(({ item }) => item);
}

/** Splits an amount into `parts` positive integers that add up to it exactly. */
function splitAmount(random: Random, amount: number, parts: number): number[] {
  const result: number[] = [];
  let left = amount;
  for (let p = parts; p > 1; p--) {
    const share = random.number.int({ min: 1, max: left - (p - 1) });
    const fair = Math.round(left / p);
    // Lean towards even instalments so the parts look like real ones.
    const part = Math.max(1, Math.min(left - (p - 1), Math.round((share + fair * 3) / 4)));
    result.push(part);
    left -= part;
  }
  result.push(left);
  return result;
}

function emailFor(random: Random, firstName: string, lastName: string): string {
  const local = `${asciiLetters(firstName)}.${asciiLetters(lastName)}` || 'customer';
  const suffix = random.number.float({ min: 0, max: 1 }) < 0.3 ? String(random.number.int({ min: 1, max: 99 })) : '';
  const domain = random.helpers.arrayElement(['example.com', 'example.org', 'example.net', 'mail.example.com']);
  return `${local}${suffix}@${domain}`;
}

function asciiLetters(text: string): string {
  return text.normalize('NFD').toLowerCase().replace(/[^a-z]/g, '');
}

function uniqueRef(random: Random, used: Set<string>): string {
  for (;;) {
    const ref = `CRM-${random.string.numeric({ length: 6, allowLeadingZeros: true })}`;
    if (!used.has(ref)) {
      used.add(ref);
      return ref;
    }
  }
}

function between(random: Random, from: number, to: number): number {
  return to <= from ? from : random.number.int({ min: from, max: to });
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
