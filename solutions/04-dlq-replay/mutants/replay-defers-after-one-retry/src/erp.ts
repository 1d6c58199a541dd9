import { AuthApi, Configuration, FetchError, PaymentsApi, ResponseError } from '@integration-lab/clients/erp';
import type { Config } from './config.ts';
import { classifyErpRefusal, idempotencyKeyFor, type ParkReason, type PaymentEvent } from './payment.ts';

export type PostOutcome =
  | { posted: true; erpPaymentId: string }
  | { posted: false; reason: ParkReason; detail: string };

/** The ERP stayed unavailable through every retry; the message must be tried again later, not parked. */
export class ErpUnavailableError extends Error {
  override name = 'ErpUnavailableError';
}

const MAX_ATTEMPTS = 6;
const REQUEST_TIMEOUT_MS = 5000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts payments to the ERP: one token reused until it expires, transient failures retried with the same key. */
export class ErpPaymentPoster {
  private token: { value: string; expiresAt: number } | undefined;

  constructor(
    private readonly config: Config['erp'],
    private readonly maxAttempts = MAX_ATTEMPTS,
  ) {}

  async post(payment: PaymentEvent): Promise<PostOutcome> {
    const request = {
      idempotencyKey: idempotencyKeyFor(payment),
      paymentInput: {
        invoiceId: payment.invoiceId,
        amount: payment.amount,
        currency: payment.currency,
        receivedAt: new Date(payment.receivedAt),
        reference: payment.reference,
      },
    };
    let lastProblem = '';
    let askedToWaitMs = 0;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      askedToWaitMs = 0;
      try {
        const payments = new PaymentsApi(await this.configuration());
        const created = await payments.createPayment(request, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        return { posted: true, erpPaymentId: created.id };
      } catch (error) {
        if (error instanceof ResponseError) {
          const status = error.response.status;
          if (status === 401) {
            this.token = undefined; // expired or revoked: fetch a new one and try again
            lastProblem = '401';
          } else {
            const type = await problemType(error.response);
            const verdict = classifyErpRefusal(status, type);
            if (verdict !== 'transient') return { posted: false, reason: verdict, detail: `ERP answered ${status} ${type ?? ''}`.trim() };
            lastProblem = String(status);
            askedToWaitMs = retryAfterMs(error.response);
          }
        } else if (error instanceof FetchError) {
          // No answer at all: the write may or may not have happened; the same key makes the retry safe.
          lastProblem = 'no response';
        } else {
          throw error;
        }
      }
      if (attempt === this.maxAttempts) break;
      const delay = Math.max(100 * 2 ** (attempt - 1), askedToWaitMs);
      console.warn(`erp: payment ${payment.paymentId}: ${lastProblem}, retrying in ${delay} ms (attempt ${attempt} of ${MAX_ATTEMPTS})`);
      await sleep(delay);
    }
    throw new ErpUnavailableError(`ERP unavailable for payment ${payment.paymentId} after ${MAX_ATTEMPTS} attempts (last: ${lastProblem})`);
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

/** Retry-After in seconds (429, 503), capped: a payment waits, but not for minutes. */
function retryAfterMs(response: Response): number {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 10) * 1000 : 0;
}

async function problemType(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as { type?: unknown };
    return typeof body.type === 'string' ? body.type : undefined;
  } catch {
    return undefined;
  }
}
