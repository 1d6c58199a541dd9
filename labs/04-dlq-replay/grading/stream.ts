import type { Random } from '../../../mock-systems/platform/random.ts';

/**
 * The payments stream of one graded run, planned from the ERP's seeded state: good payments
 * against open invoices, and poison among them — schema-invalid values, well-formed but unknown
 * currencies, and payments of customers the ERP does not know yet. Pure: the same state and
 * seed give the same stream.
 */

export type MessageKind = 'good' | 'schema-invalid' | 'unknown-currency' | 'unknown-reference';

export interface PlannedMessage {
  /** The ERP customer id: the stream is keyed by customer. */
  key: string;
  /** The bank-feed adapter spreads customers over the partitions itself; a customer always maps to one. */
  partition: number;
  /** The exact value produced (UTF-8), JSON or not. */
  value: string;
  kind: MessageKind;
  paymentId: string;
  /** The payment as the ERP would book it; absent for schema-invalid values. */
  booking?: { invoiceId: string; amount: number; currency: string; reference: string };
  /** unknown-reference only: whether the onboarding fix creates the customer and invoice. */
  fixedByOnboarding?: boolean;
  /** One of two payments of the same invoice under the same reference: only the amount tells them apart. */
  instalment?: true;
}

/** A customer the onboarding team loads into the ERP between the first pass and the replay. */
export interface Onboarding {
  customerId: string;
  salesOrderId: string;
  invoiceId: string;
  customer: { externalRef: string; name: string; email: string; country: string };
  currency: string;
  lines: Array<{ sku: string; quantity: number; unitPrice: number }>;
  total: number;
}

export interface StreamPlan {
  /** In production order; each key's messages keep their relative order. */
  messages: PlannedMessage[];
  onboarding: Onboarding;
  /** A customer referenced by the stream that is never loaded: its payment stays parked. */
  neverOnboarded: { customerId: string; invoiceId: string };
  /** Invoices whose first payment post meets a 503 and a lost response in the first pass. */
  firstPassFaults: { unavailable: string; lostResponse: string };
}

export interface ErpSnapshotForPlan {
  customers: Array<{ id: string }>;
  salesOrders: Array<{ id: string }>;
  invoices: Array<{ id: string; customerId: string; currency: string; amount: number; amountPaid: number; status: string }>;
}

/** Customers whose payments are good; setup makes sure the ERP has this many payable invoices. */
export const GOOD_CUSTOMERS = 7;
/** Minor units still owed on an invoice, so its share of a payment is a real amount. */
export const MIN_OUTSTANDING = 3000;
const FEED_START = Date.UTC(2026, 0, 5, 8, 0, 0);
/** Well-formed ISO-looking codes the ERP does not book: typos and retired currencies. */
const UNKNOWN_CURRENCIES = ['GPB', 'EUD', 'USX', 'RUR', 'SKK', 'DEM', 'XBT'];
const MARKETS: Array<{ country: string; currency: string }> = [
  { country: 'DE', currency: 'EUR' }, { country: 'NL', currency: 'EUR' }, { country: 'GB', currency: 'GBP' },
  { country: 'SE', currency: 'SEK' }, { country: 'US', currency: 'USD' }, { country: 'PL', currency: 'PLN' },
];

/** One open invoice per customer with enough still to pay, in the ERP's order. */
export function payableInvoices(state: Pick<ErpSnapshotForPlan, 'invoices'>): ErpSnapshotForPlan['invoices'] {
  const byCustomer = new Map<string, ErpSnapshotForPlan['invoices'][number]>();
  for (const invoice of state.invoices) {
    if (invoice.status === 'open' && invoice.amount - invoice.amountPaid >= MIN_OUTSTANDING && !byCustomer.has(invoice.customerId)) {
      byCustomer.set(invoice.customerId, invoice);
    }
  }
  return [...byCustomer.values()];
}

export function planStream(state: ErpSnapshotForPlan, random: Random, partitions: number): StreamPlan {
  const nextId = (prefix: string, ids: Array<{ id: string }>, step = 1) =>
    `${prefix}-${String(Math.max(0, ...ids.map((record) => Number(record.id.slice(prefix.length + 1)))) + step).padStart(6, '0')}`;
  const newPaymentId = () => `PMT-${random.string.alphanumeric({ length: 8, casing: 'upper' })}`;
  const newReference = () => `RMT-${random.string.numeric(10)}`;

  const candidates = random.helpers.shuffle(payableInvoices(state));
  if (candidates.length < GOOD_CUSTOMERS) throw new Error(`the ERP has only ${candidates.length} customers with an open invoice; the stream needs ${GOOD_CUSTOMERS} (setup tops them up first)`);
  const chosen = candidates.slice(0, GOOD_CUSTOMERS);
  // Round robin, so every partition has customers, and the first three (who pay twice) cover them all.
  const partitionOf = new Map(chosen.map((invoice, index) => [invoice.customerId, index % partitions]));

  const draft = (invoice: (typeof chosen)[number], share: number, kind: MessageKind = 'good'): Draft => ({
    key: invoice.customerId,
    partition: partitionOf.get(invoice.customerId)!,
    kind,
    paymentId: newPaymentId(),
    booking: { invoiceId: invoice.id, amount: Math.max(1, Math.floor((invoice.amount - invoice.amountPaid) * share)), currency: invoice.currency, reference: newReference() },
  });

  // Every partition gets a second good payment after the poison, so a blocked partition shows.
  const firstPayments = chosen.map((invoice) => draft(invoice, random.number.float({ min: 0.2, max: 0.4 })));
  const secondPayers = chosen.filter((_, index) => index < 3 || random.datatype.boolean());
  const secondPayments = secondPayers.map((invoice) => draft(invoice, random.number.float({ min: 0.15, max: 0.4 })));
  // The third customer pays in two instalments and gives the invoice's reference both times, as
  // many do: two payments, one reference, told apart by amount (and by paymentId).
  const [firstInstalment, secondInstalment] = [firstPayments[2]!, secondPayments[2]!];
  firstInstalment.instalment = true;
  secondInstalment.instalment = true;
  secondInstalment.booking = {
    ...secondInstalment.booking!,
    reference: firstInstalment.booking!.reference,
    amount: secondInstalment.booking!.amount === firstInstalment.booking!.amount ? secondInstalment.booking!.amount + 1 : secondInstalment.booking!.amount,
  };

  // Faults hit customers that carry no poison, so a consumer that posts poison cannot use them up.
  const [unavailable, lostResponse, ...others] = chosen;
  const [first, second, third] = random.helpers.shuffle(others);
  const currencies = random.helpers.arrayElements(UNKNOWN_CURRENCIES, 2);
  const withCurrency = (message: Draft, currency: string): Draft => ({ ...message, booking: { ...message.booking, currency } });
  const customerPoison: Draft[] = [
    { ...draft(first!, 0.1, 'schema-invalid'), breakage: 'truncate' },
    { ...draft(second!, 0.1, 'schema-invalid'), breakage: 'field' },
    withCurrency(draft(third!, 0.1, 'unknown-currency'), currencies[0]!),
    withCurrency(draft(first!, 0.1, 'unknown-currency'), currencies[1]!),
  ];

  const market = random.helpers.arrayElement(MARKETS);
  const firstName = random.person.firstName();
  const lastName = random.person.lastName();
  const lines = Array.from({ length: random.number.int({ min: 1, max: 2 }) }, () => ({
    sku: `SKU-${random.number.int({ min: 1001, max: 1016 })}`,
    quantity: random.number.int({ min: 1, max: 3 }),
    unitPrice: random.number.int({ min: 20_000, max: 90_000 }),
  }));
  const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  const onboarding: Onboarding = {
    customerId: nextId('CUS', state.customers),
    salesOrderId: nextId('SO', state.salesOrders),
    invoiceId: nextId('INV', state.invoices),
    customer: {
      externalRef: `CON-${random.string.numeric({ length: 6, allowLeadingZeros: false })}`,
      name: `${firstName} ${lastName}`,
      email: random.internet.email({ firstName, lastName, provider: 'example.com' }).toLowerCase(),
      country: market.country,
    },
    currency: market.currency,
    lines,
    total,
  };
  const neverOnboarded = { customerId: nextId('CUS', state.customers, 2), invoiceId: nextId('INV', state.invoices, 2) };
  // Shares leave room for one payment posted twice, so a double post shows in the ERP.
  const onboardedPartition = random.number.int({ min: 0, max: partitions - 1 });
  const onboardingPayment = (share: number): Draft => ({
    key: onboarding.customerId,
    partition: onboardedPartition,
    kind: 'unknown-reference',
    paymentId: newPaymentId(),
    booking: { invoiceId: onboarding.invoiceId, amount: Math.floor(total * share), currency: onboarding.currency, reference: newReference() },
    fixedByOnboarding: true,
  });
  const onboardingPayments = [onboardingPayment(0.3), onboardingPayment(0.25)];
  const strandedPayment: Draft = {
    key: neverOnboarded.customerId,
    partition: random.number.int({ min: 0, max: partitions - 1 }),
    kind: 'unknown-reference',
    paymentId: newPaymentId(),
    booking: { invoiceId: neverOnboarded.invoiceId, amount: random.number.int({ min: 5_000, max: 50_000 }), currency: 'EUR', reference: newReference() },
    fixedByOnboarding: false,
  };

  const poison = random.helpers.shuffle([...customerPoison, ...onboardingPayments, strandedPayment]);
  // The onboarded customer's two payments keep their planned order wherever the shuffle put them.
  poison
    .flatMap((message, index) => (message.fixedByOnboarding ? [index] : []))
    .forEach((slot, index) => (poison[slot] = onboardingPayments[index]!));

  const ordered = [...random.helpers.shuffle(firstPayments), ...poison, ...random.helpers.shuffle(secondPayments)];
  const messages = ordered.map((message, index): PlannedMessage => {
    const { booking, breakage, ...rest } = message;
    const event = eventOf(message, timestampAt(index));
    if (breakage === 'truncate') {
      const text = adapterJson(event);
      return { ...rest, value: text.slice(0, random.number.int({ min: 20, max: text.length - 10 })) };
    }
    if (breakage === 'field') return { ...rest, value: adapterJson(breakSchema(event, random)) };
    return { ...rest, booking, value: adapterJson(event) };
  });
  return { messages, onboarding, neverOnboarded, firstPassFaults: { unavailable: unavailable!.id, lostResponse: lostResponse!.id } };
}

interface Draft {
  key: string;
  partition: number;
  kind: MessageKind;
  paymentId: string;
  booking: NonNullable<PlannedMessage['booking']>;
  fixedByOnboarding?: boolean;
  instalment?: true;
  /** How a schema-invalid value is made: cut mid-document, or one field broken. */
  breakage?: 'truncate' | 'field';
}

/**
 * The bank-feed adapter's JSON: a space after each colon and comma, as many serialisers write
 * it. A consumer that parks a re-serialised copy instead of the bytes it got changes the value.
 */
function adapterJson(event: Record<string, unknown>): string {
  return `{${Object.entries(event).map(([name, value]) => `${JSON.stringify(name)}: ${JSON.stringify(value)}`).join(', ')}}`;
}

/** Kafka timestamp of the message at `index`: a bank feed delivering through the morning. */
export function timestampAt(index: number): number {
  return FEED_START + index * 45_000;
}

function eventOf(message: Draft, timestamp: number): Record<string, unknown> {
  const { booking } = message;
  return {
    paymentId: message.paymentId,
    customerId: message.key,
    invoiceId: booking.invoiceId,
    amount: booking.amount,
    currency: booking.currency,
    receivedAt: new Date(timestamp - 7 * 60_000).toISOString().replace('.000Z', 'Z'),
    reference: booking.reference,
  };
}

/** One realistic schema violation: what an upstream change or a hand-edited message looks like. */
function breakSchema(event: Record<string, unknown>, random: Random): Record<string, unknown> {
  const amount = event.amount as number;
  switch (random.number.int({ min: 0, max: 3 })) {
    case 0:
      return { ...event, amount: (amount / 100).toFixed(2) }; // a decimal string instead of minor units
    case 1: {
      const { invoiceId: _dropped, ...rest } = event;
      return rest; // remittance line without an invoice number
    }
    case 2:
      return { ...event, amount: -amount }; // a refund sent to the wrong topic
    default:
      return { ...event, receivedAt: '05.01.2026 09:12' }; // a legacy local date format
  }
}
