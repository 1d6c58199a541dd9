import { randomUUID } from 'node:crypto';
import { Configuration, CustomersApi, ResponseError, type CustomerInput } from '@integration-lab/clients/erp';
import type { CustomerDraft } from './mapping.ts';
import type { ErpTokenProvider } from './erp-token.ts';

export type CreateOutcome =
  | { kind: 'created'; customerId: string }
  | { kind: 'already-present'; customerId: string }
  | { kind: 'refused'; status: number; problem: string };

/** Creates ERP customers; safe to run again over the same contacts. */
export class ErpCustomers {
  private readonly customers: CustomersApi;

  constructor(
    erpUrl: string,
    private readonly tokens: ErpTokenProvider,
  ) {
    this.customers = new CustomersApi(new Configuration({ basePath: erpUrl, accessToken: () => tokens.authorization() }));
  }

  async create(customer: CustomerDraft): Promise<CreateOutcome> {
    const request = { idempotencyKey: idempotencyKey(customer), customerInput: toCustomerInput(customer) };
    try {
      const response = await this.customers.createCustomerRaw(request);
      const customerId = (await response.value()).id;
      // A replay means an earlier run already made this exact write.
      return response.raw.headers.get('idempotent-replayed') === 'true' ? { kind: 'already-present', customerId } : { kind: 'created', customerId };
    } catch (error) {
      if (!(error instanceof ResponseError)) throw error;
      if (error.response.status === 401) {
        this.tokens.invalidate();
        return this.create(customer);
      }
      const problem = (await error.response.json().catch(() => ({}))) as { type?: string; existingId?: string };
      // A previous run created it: the contact id is the customer's externalRef.
      if (error.response.status === 409 && problem.existingId) return { kind: 'already-present', customerId: problem.existingId };
      return { kind: 'refused', status: error.response.status, problem: problem.type?.split('/').pop() ?? 'unknown' };
    }
  }
}

/** The client takes the birth date as a Date and sends its UTC calendar day. */
function toCustomerInput({ birthDate, ...rest }: CustomerDraft): CustomerInput {
  return { ...rest, ...(birthDate ? { birthDate: new Date(`${birthDate}T00:00:00Z`) } : {}) };
}

/**
 * One key per contact and body: a retry of the same write replays the first answer, and a
 * corrected mapping of the same contact is a new write rather than a reused key.
 */
function idempotencyKey(customer: CustomerDraft): string {
  // A fresh key per request, as the ERP's docs say a key must be unique.
  return `crm-contact-${customer.externalRef}-${randomUUID()}`;
}
