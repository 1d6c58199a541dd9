import type { InvoicesApi } from '@integration-lab/clients/erp';
import type { OrderEvent } from './order-events.ts';

/**
 * Applies one order event to the ERP's invoices. Kept apart from Kafka so it can be tested
 * against a mocked ERP.
 */

export type InvoicesPort = Pick<InvoicesApi, 'createInvoice' | 'updateInvoice' | 'listInvoices'>;

export interface Outcome {
  /** What happened, for the log: ids and statuses only, never customer data. */
  summary: string;
}

export async function applyOrderEvent(event: OrderEvent, invoices: InvoicesPort): Promise<Outcome> {
  switch (event.type) {
    case 'OrderPlaced':
      // TODO: invoice the sales order (invoices.createInvoice). Every write needs an
      // Idempotency-Key: which key makes a retry, a duplicate or a redelivery harmless?
      return { summary: `TODO invoice order ${event.orderId}` };
    case 'OrderAmended':
      // TODO: find the order's invoice (invoices.listInvoices) and set its amount to event.payload.total.
      return { summary: `TODO amend the invoice of order ${event.orderId}` };
    case 'OrderCancelled':
      // TODO: cancel the order's invoice.
      void invoices;
      return { summary: `TODO cancel the invoice of order ${event.orderId}` };
  }
}
