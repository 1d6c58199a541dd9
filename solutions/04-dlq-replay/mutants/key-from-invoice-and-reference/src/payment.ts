import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { Currency } from '@integration-lab/clients/erp';
import paymentSchema from '../schemas/payment.json' with { type: 'json' };

// ajv-formats ships CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

/** A `PaymentReceived` event from the `payments` topic (schemas/payment.json). */
export interface PaymentEvent {
  paymentId: string;
  customerId: string;
  invoiceId: string;
  amount: number;
  /** Checked against the currencies the ERP books, not only against the schema's pattern. */
  currency: Currency;
  receivedAt: string;
  reference: string;
}

type WellFormedPayment = Omit<PaymentEvent, 'currency'> & { currency: string };

/**
 * Why a message was parked. Permanent failures only: retrying the same message cannot fix them,
 * only new reference data (or a corrected message) can.
 */
export type ParkReason = 'schema-invalid' | 'unknown-currency' | 'unknown-reference' | 'rejected';

export type Validation = { ok: true; payment: PaymentEvent } | { ok: false; reason: ParkReason; detail: string };

const validateSchema = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile<WellFormedPayment>(paymentSchema);
})();

const ACCEPTED_CURRENCIES: ReadonlySet<string> = new Set(Object.values(Currency));
const isAcceptedCurrency = (code: string): code is Currency => ACCEPTED_CURRENCIES.has(code);

/** Parses and validates one message value; never throws. */
export function validatePayment(value: Buffer | null): Validation {
  if (value === null) return { ok: false, reason: 'schema-invalid', detail: 'empty message value' };
  let data: unknown;
  try {
    data = JSON.parse(value.toString('utf8'));
  } catch {
    return { ok: false, reason: 'schema-invalid', detail: 'value is not JSON' };
  }
  if (!validateSchema(data)) {
    // Paths and keywords only: the offending values could be personal data.
    const problems = (validateSchema.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.keyword}`);
    return { ok: false, reason: 'schema-invalid', detail: problems.join('; ') };
  }
  const { currency } = data;
  if (!isAcceptedCurrency(currency)) {
    return { ok: false, reason: 'unknown-currency', detail: `currency ${currency} is not booked by the ERP` };
  }
  return { ok: true, payment: { ...data, currency } };
}

/**
 * What identifies a payment at the bank: the invoice it pays and the reference the customer
 * gave, the same in the consumer and in the replay.
 */
export function idempotencyKeyFor(payment: PaymentEvent): string {
  return `payment-${payment.invoiceId}-${payment.reference}`;
}

export type RefusalVerdict = ParkReason | 'transient';

/** What an ERP error answer means for the message: park it, or try again later. */
export function classifyErpRefusal(status: number, problemType: string | undefined): RefusalVerdict {
  if (status === 408 || status === 429 || status >= 500) return 'transient';
  if (status === 422 && problemType?.endsWith('/unknown-invoice')) return 'unknown-reference';
  return 'rejected';
}
