import { FetchError, ResponseError, type BookingRequest, type ShipmentsApi } from '@integration-lab/clients/partner';

/** What became of one order; printed as one line of the run's summary. */
export type BookingOutcome =
  | { reference: string; outcome: 'booked'; shipmentId: string; attempts: number }
  | { reference: string; outcome: 'rejected'; reasons: string[]; attempts: number }
  | { reference: string; outcome: 'failed'; error: string; attempts: number };

export interface BookingDependencies {
  api: ShipmentsApi;
  /** Progress for people watching the run: references and statuses, never names or addresses. */
  log(message: string): void;
}

/**
 * Books one order with the partner.
 *
 * TODO: this makes exactly one call and trusts it. Read the brief's acceptance criteria and the
 * partner's contract (docs/partner.md): which failures are worth another attempt, how long to
 * wait before it, how long to wait for an answer at all, and what a 409 or a 422 means.
 */
export async function bookOrder(order: BookingRequest, deps: BookingDependencies): Promise<BookingOutcome> {
  const { reference } = order;
  try {
    const shipment = await deps.api.createShipment({ bookingRequest: order });
    return { reference, outcome: 'booked', shipmentId: shipment.id, attempts: 1 };
  } catch (error) {
    if (error instanceof ResponseError) {
      deps.log(`${reference}: partner answered ${error.response.status}`);
      return { reference, outcome: 'failed', error: `status ${error.response.status}`, attempts: 1 };
    }
    if (error instanceof FetchError) {
      deps.log(`${reference}: no answer from the partner`);
      return { reference, outcome: 'failed', error: 'no answer', attempts: 1 };
    }
    throw error;
  }
}
