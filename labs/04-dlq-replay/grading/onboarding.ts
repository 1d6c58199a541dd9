import { CustomersApi, InvoicesApi, SalesOrdersApi, type CountryCode, type Currency } from '../../../mock-systems/erp/client/index.ts';
import { erpApiConfiguration } from '../../../grader/checks/erp-api.ts';
import type { LabEnvironment } from '../../../grader/environment/environment.ts';
import type { Onboarding } from './stream.ts';

/**
 * The reference-data fix between the first pass and the replay: the onboarding team loads the
 * missing customer, its sales order and its invoice into the ERP, through the ERP's own API.
 * The stream was planned with the ids these records get; a mismatch means something else wrote
 * to the ERP, and the run cannot be graded as planned.
 */
export async function loadOnboardedCustomer(env: LabEnvironment, onboarding: Onboarding, seed: number): Promise<void> {
  const configuration = await erpApiConfiguration(env);
  const key = (what: string) => `lab-onboarding-${seed}-${what}`;

  const customer = await new CustomersApi(configuration).createCustomer({ idempotencyKey: key('customer'), customerInput: { ...onboarding.customer, country: onboarding.customer.country as CountryCode } });
  const order = await new SalesOrdersApi(configuration).createSalesOrder({
    idempotencyKey: key('order'),
    salesOrderInput: { customerId: customer.id, currency: onboarding.currency as Currency, lines: onboarding.lines },
  });
  const invoice = await new InvoicesApi(configuration).createInvoice({ idempotencyKey: key('invoice'), invoiceInput: { orderId: order.id } });
  const got = { customerId: customer.id, salesOrderId: order.id, invoiceId: invoice.id, total: invoice.amount };
  const planned = { customerId: onboarding.customerId, salesOrderId: onboarding.salesOrderId, invoiceId: onboarding.invoiceId, total: onboarding.total };
  if (JSON.stringify(got) !== JSON.stringify(planned)) {
    throw new Error(`onboarding created ${JSON.stringify(got)}, planned ${JSON.stringify(planned)}: did the submission create ERP records?`);
  }
}
