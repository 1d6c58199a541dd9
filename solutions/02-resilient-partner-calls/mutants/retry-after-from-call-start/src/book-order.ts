import { FetchError, ResponseError, type BookingRequest, type ShipmentsApi } from '@integration-lab/clients/partner';
import { delayBeforeNextAttempt, type AttemptFailure, type RetryPolicy } from './retry-policy.ts';

/** What became of one order; printed as one line of the run's summary. */
export type BookingOutcome =
  | { reference: string; outcome: 'booked'; shipmentId: string; attempts: number }
  | { reference: string; outcome: 'rejected'; reasons: string[]; attempts: number }
  | { reference: string; outcome: 'failed'; error: string; attempts: number };

export interface BookingDependencies {
  api: ShipmentsApi;
  policy: RetryPolicy;
  /** Longest wait for one answer before the call is abandoned and counted as no answer. */
  timeoutMs: number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1) for jitter. */
  random(): number;
  /** Progress for people watching the run; gets references and statuses, never addresses. */
  log(message: string): void;
}

interface ProblemBody {
  existingShipmentId?: unknown;
  errors?: Array<{ reason?: unknown }>;
}

/**
 * Books one order with the partner, retrying only what is transient. The reference is the
 * order number and never changes between attempts, so a retry after a lost response cannot
 * book twice: the partner answers 409 with the booking it already holds.
 */
export async function bookOrder(order: BookingRequest, deps: BookingDependencies): Promise<BookingOutcome> {
  const { reference } = order;
  for (let attempt = 1; ; attempt++) {
    let failure: AttemptFailure;
    const sentAt = Date.now();
    try {
      const shipment = await deps.api.createShipment({ bookingRequest: order }, { signal: AbortSignal.timeout(deps.timeoutMs) });
      return { reference, outcome: 'booked', shipmentId: shipment.id, attempts: attempt };
    } catch (error) {
      if (error instanceof ResponseError) {
        const { status } = error.response;
        if (status === 409) {
          // Booked already, most likely by an earlier attempt whose answer we never saw.
          const body = await problemBody(error.response);
          if (typeof body.existingShipmentId === 'string') {
            deps.log(`${reference}: already booked as ${body.existingShipmentId}`);
            return { reference, outcome: 'booked', shipmentId: body.existingShipmentId, attempts: attempt };
          }
        }
        if (status === 422) {
          const body = await problemBody(error.response);
          const reasons = (body.errors ?? []).map((entry) => String(entry.reason ?? 'unknown'));
          deps.log(`${reference}: rejected by the partner (${reasons.join(', ')})`);
          return { reference, outcome: 'rejected', reasons, attempts: attempt };
        }
        failure = { kind: 'status', status, retryAfter: error.response.headers.get('retry-after') };
        // Read the body to the end so the connection can be reused for the retry.
        await error.response.arrayBuffer().catch(() => undefined);
      } else if (error instanceof FetchError) {
        failure = { kind: 'no-answer', cause: error.cause.name === 'TimeoutError' ? 'timeout' : 'connection' };
      } else {
        throw error;
      }
    }

    const what = failure.kind === 'status' ? `status ${failure.status}` : failure.cause === 'timeout' ? `no answer within ${deps.timeoutMs} ms` : 'connection lost';
    const delay = delayBeforeNextAttempt(failure, attempt, deps.policy, deps.random);
    if (delay === undefined) {
      deps.log(`${reference}: giving up after attempt ${attempt} (${what})`);
      return { reference, outcome: 'failed', error: `${what} after ${attempt} attempt(s)`, attempts: attempt };
    }
    // Counts the partner's Retry-After from when the call was sent, less a little for the network.
    const wait = failure.kind === 'status' && failure.retryAfter ? Math.max(0, delay - (Date.now() - sentAt) - 50) : delay;
    deps.log(`${reference}: attempt ${attempt} got ${what}; retrying in ${wait} ms`);
    await deps.sleep(wait);
  }
}

async function problemBody(response: Response): Promise<ProblemBody> {
  try {
    return ((await response.json()) ?? {}) as ProblemBody;
  } catch {
    return {};
  }
}
