import type { ProcessResult } from '../../../grader/runner/process-result.ts';
import type { Coordinates, PartitionLag, ReadRecord } from './broker.ts';
import type { FirstPassEnd } from './first-pass.ts';
import type { Onboarding, PlannedMessage } from './stream.ts';

/** What setup produced: the stream as it landed on the broker, and the onboarding to come. */
export interface Setup {
  messages: SourceMessage[];
  onboarding: Onboarding;
  neverOnboarded: { customerId: string; invoiceId: string };
}

export type SourceMessage = PlannedMessage & Coordinates;

/** A payment as the ERP snapshot shows it. */
export interface ErpPaymentRow {
  id: string;
  invoiceId: string;
  amount: number;
  currency: string;
  reference: string;
}

/** What the topics and the ERP looked like after one phase of the run. */
export interface PhaseSnapshot {
  payments: ErpPaymentRow[];
  dlqEnds: Record<number, number>;
  parkedEnds: Record<number, number>;
}

export interface Outputs {
  firstPass: { end: FirstPassEnd; lag: PartitionLag[]; consumer: ProcessResult };
  afterConsume: PhaseSnapshot;
  replays: ProcessResult[];
  afterReplay: PhaseSnapshot;
  afterSecondReplay: PhaseSnapshot;
  /** Everything in payments.dlq and payments.parked at the end of the run. */
  records: ReadRecord[];
  /** Why those topics could not be read (records past the reader's limits): `records` is then empty. */
  recordsUnreadable?: string;
}

/** The DLQ headers the brief asks for. */
export const HEADERS = {
  reason: 'dlq-reason',
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  timestamp: 'dlq-original-timestamp',
  attempt: 'dlq-attempt',
} as const;

export const where = (message: SourceMessage) => `payments/${message.partition}@${message.offset}`;

export const poisonOf = (setup: Setup) => setup.messages.filter((message) => message.kind !== 'good');
export const goodOf = (setup: Setup) => setup.messages.filter((message) => message.kind === 'good');
/** Parked payments the onboarding makes valid. */
export const fixedOf = (setup: Setup) => setup.messages.filter((message) => message.fixedByOnboarding === true);
export const stillInvalidOf = (setup: Setup) => poisonOf(setup).filter((message) => message.fixedByOnboarding !== true);

/** Records of a topic written before a snapshot (offset below that phase's end offset). */
export function writtenBefore(records: ReadRecord[], topic: string, ends: Record<number, number>): ReadRecord[] {
  return records.filter((record) => record.topic === topic && Number(record.offset) < (ends[record.partition] ?? 0));
}

export function paymentsWithReference(payments: ErpPaymentRow[], reference: string): ErpPaymentRow[] {
  return payments.filter((payment) => payment.reference === reference);
}

/** Posted exactly once, as the event says. */
export function postedOnce(payments: ErpPaymentRow[], message: SourceMessage): { ok: boolean; problem?: string; payment?: ErpPaymentRow } {
  const booking = message.booking;
  if (!booking) return { ok: false, problem: `${where(message)} has no booking` };
  const withReference = paymentsWithReference(payments, booking.reference);
  // Two instalments of one invoice carry the same reference: each is known by its amount.
  const found = message.instalment ? withReference.filter((payment) => payment.amount === booking.amount) : withReference;
  if (found.length === 0) return { ok: false, problem: `payment ${message.paymentId} (${where(message)}) was not posted` };
  if (found.length > 1) return { ok: false, problem: `payment ${message.paymentId} (${where(message)}) was posted ${found.length} times (${found.map((row) => row.id).join(', ')})` };
  const [payment] = found as [ErpPaymentRow];
  if (payment.invoiceId !== booking.invoiceId || payment.amount !== booking.amount || payment.currency !== booking.currency) {
    return { ok: false, problem: `payment ${message.paymentId} was posted as ${payment.amount} ${payment.currency} on ${payment.invoiceId}, the event says ${booking.amount} ${booking.currency} on ${booking.invoiceId}` };
  }
  return { ok: true, payment };
}

/** ERP ids are given in creation order: PAY-000120 was posted before PAY-000121. */
export const postedBefore = (first: ErpPaymentRow, second: ErpPaymentRow) => first.id < second.id;

export function describeRun(result: ProcessResult | undefined): string {
  if (!result) return 'did not run';
  if (result.status === 'ok') return 'exited 0';
  if (result.status === 'stopped') return 'ran until stopped';
  if (result.status === 'crash') return result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
  return result.status;
}
