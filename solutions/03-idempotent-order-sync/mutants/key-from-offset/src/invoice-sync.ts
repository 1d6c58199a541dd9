import { ResponseError, type Invoice, type InvoicesApi } from '@integration-lab/clients/erp';
import type { OrderEvent } from './order-events.ts';
import { withRetry, type RetryPolicy, DEFAULT_RETRY } from './retry.ts';

/**
 * Applies one order event to the ERP's invoices. Safe to run any number of times for the same
 * event: every write's Idempotency-Key is derived from the event, so a redelivered event, a
 * duplicate on the topic or a retry after a lost response replays the ERP's first answer
 * instead of writing again.
 */

export type InvoicesPort = Pick<InvoicesApi, 'createInvoice' | 'updateInvoice' | 'listInvoices'>;

export interface Outcome {
  /** What happened, for the log: ids and statuses only, never customer data. */
  summary: string;
}

/** One key per record on the topic: the same on every retry, after every restart and every redelivery of that record. */
export function idempotencyKeyFor(where: { partition: number; offset: string }): string {
  return `invoice-sync:p${where.partition}@${where.offset}`;
}

export async function applyOrderEvent(event: OrderEvent, invoices: InvoicesPort, where: { partition: number; offset: string }, retry: RetryPolicy = DEFAULT_RETRY): Promise<Outcome> {
  const idempotencyKey = idempotencyKeyFor(where);
  switch (event.type) {
    case 'OrderPlaced': {
      try {
        const invoice = await withRetry(() => invoices.createInvoice({ idempotencyKey, invoiceInput: { orderId: event.orderId } }), retry);
        return { summary: `invoice ${invoice.id} for order ${event.orderId}` };
      } catch (error) {
        const problem = await problemOf(error);
        // Invoiced already (e.g. by an earlier event we cannot match by key): nothing left to do.
        if (problem?.status === 409) return { summary: `order ${event.orderId} already invoiced (${problem.existingId ?? 'unknown invoice'})` };
        if (problem?.status === 422) return { summary: `order ${event.orderId} not invoiced: ${problem.type}` };
        throw error;
      }
    }
    case 'OrderAmended':
      return patchInvoice(event, invoices, { amount: event.payload.total }, `amount ${event.payload.total}`, idempotencyKey, retry);
    case 'OrderCancelled':
      return patchInvoice(event, invoices, { status: 'cancelled' }, 'cancelled', idempotencyKey, retry);
  }
}

async function patchInvoice(
  event: OrderEvent,
  invoices: InvoicesPort,
  invoicePatch: { amount?: number; status?: 'cancelled' },
  change: string,
  idempotencyKey: string,
  retry: RetryPolicy,
): Promise<Outcome> {
  const invoice = await withRetry(() => invoiceOf(event.orderId, invoices), retry);
  if (!invoice) return { summary: `order ${event.orderId} has no invoice; ${event.type} v${event.version} not applied` };
  try {
    await withRetry(() => invoices.updateInvoice({ invoiceId: invoice.id, idempotencyKey, invoicePatch }), retry);
    return { summary: `invoice ${invoice.id} of order ${event.orderId}: ${change}` };
  } catch (error) {
    const problem = await problemOf(error);
    // Cancelled or paid in the meantime: the ERP is the judge, the event is stale.
    if (problem?.status === 422) return { summary: `invoice ${invoice.id} of order ${event.orderId} not changed: ${problem.type}` };
    throw error;
  }
}

async function invoiceOf(orderId: string, invoices: InvoicesPort): Promise<Invoice | undefined> {
  const page = await invoices.listInvoices({ orderId, limit: 1 });
  return page.data[0];
}

interface ProblemSummary {
  status: number;
  type: string;
  existingId?: string;
}

async function problemOf(error: unknown): Promise<ProblemSummary | undefined> {
  if (!(error instanceof ResponseError)) return undefined;
  const body = (await error.response.clone().json().catch(() => ({}))) as { type?: string; existingId?: string };
  const type = (body.type ?? '').split('/').pop() || `status ${error.response.status}`;
  return { status: error.response.status, type, ...(body.existingId ? { existingId: body.existingId } : {}) };
}
