import type { JobClock } from './clock.ts';
import type { JobConfig, RetryOn } from './config.ts';
import type { ExportOrder } from './export.ts';
import type { CallResult, Transport } from './http.ts';
import type { JobLog } from './log.ts';

export interface BookingResult {
  /** booked: the carrier holds it (201, or 409 naming the booking); rejected: 422; refused: another 4xx; failed: gave up. */
  result: 'booked' | 'rejected' | 'refused' | 'failed';
  /** Shipments the carrier created for the order during this call of book(). */
  shipmentIds: string[];
  /** The booking the carrier holds for the order, when it said so. */
  heldAs?: string;
  attempts: number;
  lastStatus?: number;
  lastError?: 'timeout' | 'connection-error';
  reasons?: string[];
}

/**
 * partner-gateway: books one order with the carrier (POST /shipments), with the throttle,
 * timeout and retry policy of the configuration. A 409 duplicate-reference names the booking
 * the carrier already holds, so it counts as booked.
 */
export class PartnerGateway {
  private lastCallAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly transport: Transport,
    private readonly clock: JobClock,
    private readonly log: JobLog,
    private readonly config: JobConfig,
    private readonly apiKey: string,
  ) {}

  async book(order: ExportOrder, correlationId: string): Promise<BookingResult> {
    const { retry, reference: referencePolicy, timeoutMs } = this.config.partner;
    const { orderId } = order;
    let last: { status?: number; error?: 'timeout' | 'connection-error' } = {};
    let reference = orderId;
    for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
      // A retry after silence goes out as a new booking, so that the carrier does not answer 409.
      if (attempt > 1 && last.error !== undefined && referencePolicy === 'fresh-after-no-answer') reference = `${orderId}-${attempt}`;
      this.throttle();
      const result = await this.transport.call({
        system: 'partner',
        method: 'POST',
        path: '/shipments',
        headers: { 'x-api-key': this.apiKey, 'x-correlation-id': correlationId },
        json: { reference, serviceLevel: order.serviceLevel, origin: order.origin, destination: order.destination, parcels: order.parcels },
        timeoutMs,
        entity: reference,
        latency: [40, 140],
      });
      const fields = { correlationId, orderId, attempt, reference };
      if (result.kind === 'answer' && (result.status === 201 || result.status === 409)) {
        const body = result.body as { id?: unknown; existingShipmentId?: unknown } | undefined;
        const shipmentId = String(result.status === 201 ? body?.id : body?.existingShipmentId);
        this.log.write('partner-gateway', 'INFO', 'booking.attempt', { ...fields, status: result.status, shipmentId, durationMs: result.durationMs }, result.status === 201 ? `booked ${reference} as ${shipmentId}` : `${reference} was already booked as ${shipmentId} (409); using that booking`);
        return { result: 'booked', shipmentIds: result.status === 201 ? [shipmentId] : [], heldAs: shipmentId, attempts: attempt };
      }
      if (result.kind === 'answer' && !isTransientStatus(result.status)) {
        const problem = result.body as { title?: unknown; errors?: Array<{ reason?: unknown }> } | undefined;
        const reasons = (problem?.errors ?? []).map((error) => String(error.reason ?? 'unknown'));
        const title = String(problem?.title ?? `status ${result.status}`);
        this.log.write('partner-gateway', 'ERROR', 'booking.attempt', { ...fields, status: result.status, ...(reasons.length > 0 ? { reasons } : {}), durationMs: result.durationMs }, `the carrier refused ${reference}: ${result.status} ${title}${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`);
        return { result: result.status === 422 ? 'rejected' : 'refused', shipmentIds: [], attempts: attempt, lastStatus: result.status, ...(reasons.length > 0 ? { reasons } : {}) };
      }
      last = result.kind === 'answer' ? { status: result.status } : { error: result.kind };
      const retryAfterSeconds = result.kind === 'answer' ? retryAfterOf(result.headers) : undefined;
      this.log.write(
        'partner-gateway',
        'WARN',
        'booking.attempt',
        { ...fields, ...(result.kind === 'answer' ? { status: result.status, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) } : { error: result.kind }), durationMs: result.durationMs },
        describeFailure(reference, result, timeoutMs),
      );
      if (result.kind !== 'answer') {
        // Masked, so the carrier's support can match the call without seeing the customer.
        this.log.write('partner-gateway', 'DEBUG', 'booking.unanswered', { ...fields, request: preview(order, reference) }, `request that got no answer: ${reference}`);
      }
      const retryable = retry.on.includes(result.kind === 'answer' ? (result.status as RetryOn) : result.kind);
      if (!retryable || attempt === retry.maxAttempts) {
        const why = !retryable ? `${result.kind === 'answer' ? result.status : result.kind} is not retried` : `${attempt} attempt(s) made`;
        this.log.write('partner-gateway', 'ERROR', 'booking.failed', { correlationId, orderId, attempts: attempt, ...(last.status === undefined ? { error: last.error } : { status: last.status }) }, `gave up on ${orderId}: ${why}`);
        return { result: 'failed', shipmentIds: [], attempts: attempt, ...(last.status === undefined ? {} : { lastStatus: last.status }), ...(last.error === undefined ? {} : { lastError: last.error }) };
      }
      const backoff = retry.backoffMs * 2 ** (attempt - 1);
      const waitMs = retry.honourRetryAfter && retryAfterSeconds !== undefined ? Math.max(backoff, retryAfterSeconds * 1000) : backoff;
      this.log.write('partner-gateway', 'INFO', 'booking.retry', { correlationId, orderId, nextAttempt: attempt + 1, waitMs }, `retrying ${orderId} in ${waitMs} ms`);
      this.clock.advance(waitMs);
    }
    throw new Error('unreachable: the loop returns on its last attempt');
  }

  /** Spaces call starts by 1/requestsPerSecond; retries count like first calls. */
  private throttle(): void {
    const perSecond = this.config.partner.requestsPerSecond;
    if (perSecond > 0) {
      const next = this.lastCallAt + 1000 / perSecond;
      if (next > this.clock.now()) this.clock.advance(next - this.clock.now());
    }
    this.lastCallAt = this.clock.now();
  }
}

/** Statuses that speak about the moment rather than the request. */
function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function retryAfterOf(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

function describeFailure(reference: string, result: CallResult, timeoutMs: number): string {
  if (result.kind === 'timeout') return `no answer for ${reference} within ${timeoutMs} ms`;
  if (result.kind === 'connection-error') return `the connection closed before an answer for ${reference}`;
  const title = String((result.body as { title?: unknown } | undefined)?.title ?? '');
  const retryAfter = result.headers.get('retry-after');
  return `the carrier answered ${result.status}${title ? ` ${title}` : ''} for ${reference}${retryAfter ? ` (Retry-After: ${retryAfter})` : ''}`;
}

/** The first letter of each word, the rest starred. */
function mask(text: string): string {
  return text.split(' ').map((word) => (word.length <= 1 ? word : `${word[0]}${'*'.repeat(word.length - 1)}`)).join(' ');
}

function preview(order: ExportOrder, reference: string): Record<string, unknown> {
  const { destination } = order;
  return {
    reference,
    serviceLevel: order.serviceLevel,
    destination: { name: mask(destination.name), street: mask(destination.street), city: mask(destination.city), country: destination.country },
    parcels: order.parcels.length,
  };
}
