import { SalesOrdersApi, type Currency } from '../../../mock-systems/erp/client/index.ts';
import type { ErpCustomer, ErpSalesOrder } from '../../../mock-systems/erp/data.ts';
import type { Random } from '../../../mock-systems/platform/random.ts';
import type { LabEnvironment, MockSystemAdmin } from '../../../grader/environment/environment.ts';
import { erpApiConfiguration } from '../../../grader/checks/erp-api.ts';

/**
 * Open sales orders for the day's events. A small seeded ERP can hold fewer open orders than
 * the event plan needs; then the shop places the missing ones at checkout, as it does every
 * day: repeat orders of active customers, written through the ERP's API. Every seed sets up.
 */
export async function openOrdersForTheDay(
  env: LabEnvironment,
  erp: MockSystemAdmin,
  state: { customers: ErpCustomer[]; salesOrders: ErpSalesOrder[] },
  needed: number,
  random: Random,
  seed: number,
): Promise<ErpSalesOrder[]> {
  const open = state.salesOrders.filter((order) => order.status === 'open');
  if (open.length >= needed) return open;

  const active = new Set(state.customers.filter((customer) => customer.status === 'active').map((customer) => customer.id));
  const repeatable = random.helpers.shuffle(state.salesOrders.filter((order) => order.status !== 'cancelled' && active.has(order.customerId)));
  const shortfall = needed - open.length;
  if (repeatable.length < shortfall) throw new Error(`the ERP has ${open.length} open sales orders and only ${repeatable.length} orders of active customers to repeat; the lab needs ${needed}`);

  const api = new SalesOrdersApi(await erpApiConfiguration(env));
  for (const [index, previous] of repeatable.slice(0, shortfall).entries()) {
    await api.createSalesOrder({
      idempotencyKey: `lab-checkout-${seed}-${index}`,
      salesOrderInput: {
        customerId: previous.customerId,
        currency: previous.currency as Currency,
        lines: previous.lines.map(({ sku, description, quantity, unitPrice }) => ({ sku, ...(description === undefined ? {} : { description }), quantity, unitPrice })),
      },
    });
  }
  // As the ERP holds them now, so the plan sees exactly what the consumer will find.
  const after = await erp.state<{ salesOrders: ErpSalesOrder[] }>();
  return after.salesOrders.filter((order) => order.status === 'open');
}
