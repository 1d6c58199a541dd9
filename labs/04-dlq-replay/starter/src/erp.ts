import { AuthApi, Configuration, PaymentsApi, type Payment, type PaymentInput } from '@integration-lab/clients/erp';
import type { Config } from './config.ts';

/** Talks to the ERP: one OAuth token, reused until it expires. */
export class ErpPaymentPoster {
  private token: { value: string; expiresAt: number } | undefined;

  constructor(private readonly config: Config['erp']) {}

  /**
   * One POST /payments. Throws the generated client's ResponseError on an error status
   * (`error.response.status`, the problem+json body via `error.response.json()`) and its
   * FetchError when no response came back at all.
   * TODO: decide what each failure means for the message, and which Idempotency-Key to send.
   */
  async createPayment(idempotencyKey: string, paymentInput: PaymentInput): Promise<Payment> {
    const payments = new PaymentsApi(await this.configuration());
    return payments.createPayment({ idempotencyKey, paymentInput }, { signal: AbortSignal.timeout(5000) });
  }

  private async configuration(): Promise<Configuration> {
    if (!this.token || Date.now() > this.token.expiresAt) {
      const auth = new AuthApi(new Configuration({ basePath: this.config.url }));
      const issued = await auth.issueToken({ grantType: 'client_credentials', clientId: this.config.clientId, clientSecret: this.config.clientSecret });
      // Renew a little early so a token never expires between check and use.
      this.token = { value: `${issued.tokenType} ${issued.accessToken}`, expiresAt: Date.now() + (issued.expiresIn - 10) * 1000 };
    }
    return new Configuration({ basePath: this.config.url, accessToken: this.token.value });
  }
}
