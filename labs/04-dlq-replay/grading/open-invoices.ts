import { InvoicesApi, SalesOrdersApi, type Currency } from '../../../mock-systems/erp/client/index.ts';
import type { ErpCustomer, ErpSalesOrder } from '../../../mock-systems/erp/data.ts';
import type { Random } from '../../../mock-systems/platform/random.ts';
import { erpApiConfiguration } from '../../../grader/checks/erp-api.ts';
import type { LabEnvironment } from '../../../grader/environment/environment.ts';
import { GOOD_CUSTOMERS, MIN_OUTSTANDING, payableInvoices, type ErpSnapshotForPlan } from './stream.ts';

/** What the top-up reads: the plan's view of the ERP, with the customers and orders in full. */
export type ErpState = Pick<ErpSnapshotForPlan, 'invoices'> & { customers: ErpCustomer[]; salesOrders: ErpSalesOrder[] };

/**
 * Open invoices for the bank feed to pay. A small seeded ERP can have fewer customers with an
 * open invoice than the stream needs; then the business does what it does every day: active
 * customers order again and are invoiced, through the ERP's API. Every seed sets up.
 * Returns the ERP's state as the stream must be planned from (ids included).
 */
export async function ensurePayableInvoices(env: LabEnvironment, state: ErpState, random: Random, seed: number): Promise<ErpState> {
  const payable = new Set(payableInvoices(state).map((invoice) => invoice.customerId));
  const shortfall = GOOD_CUSTOMERS - payable.size;
  if (shortfall <= 0) return state;

  const active = new Set(state.customers.filter((customer) => customer.status === 'active' && !payable.has(customer.id)).map((customer) => customer.id));
  // One earlier order per customer to repeat, big enough to leave a real amount to pay.
  const repeatable = new Map<string, ErpSalesOrder>();
  for (const order of state.salesOrders) {
    if (active.has(order.customerId) && order.status !== 'cancelled' && order.total >= MIN_OUTSTANDING && !repeatable.has(order.customerId)) repeatable.set(order.customerId, order);
  }
  const chosen = random.helpers.shuffle([...repeatable.values()]).slice(0, shortfall);
  if (chosen.length < shortfall) throw new Error(`the ERP has ${payable.size} customers with an open invoice and ${chosen.length} more who could order again; the stream needs ${GOOD_CUSTOMERS}`);

  const configuration = await erpApiConfiguration(env);
  const orders = new SalesOrdersApi(configuration);
  const invoices = new InvoicesApi(configuration);
  for (const [index, previous] of chosen.entries()) {
    const order = await orders.createSalesOrder({
      idempotencyKey: `lab-repeat-order-${seed}-${index}`,
      salesOrderInput: {
        customerId: previous.customerId,
        currency: previous.currency as Currency,
        lines: previous.lines.map(({ sku, description, quantity, unitPrice }) => ({ sku, ...(description === undefined ? {} : { description }), quantity, unitPrice })),
      },
    });
    await invoices.createInvoice({ idempotencyKey: `lab-repeat-invoice-${seed}-${index}`, invoiceInput: { orderId: order.id } });
  }
  return stateOf(env);
}

async function stateOf(env: LabEnvironment): Promise<ErpState> {
  const erp = env.systems.erp;
  if (!erp) throw new Error('lab 04 needs the erp service');
  return erp.state<ErpState>();
}
