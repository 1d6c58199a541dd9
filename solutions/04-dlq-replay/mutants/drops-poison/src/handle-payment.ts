import type { ErpPaymentPoster } from './erp.ts';
import { validatePayment, type ParkReason } from './payment.ts';

export type Outcome =
  | { kind: 'posted'; paymentId: string; erpPaymentId: string }
  | { kind: 'park'; reason: ParkReason; detail: string };

/**
 * Validates one message value and posts it. Permanent failures come back as `park`;
 * an ERP that stays unavailable throws (ErpUnavailableError), because that is not the message's fault.
 */
export async function handlePayment(value: Buffer | null, poster: ErpPaymentPoster): Promise<Outcome> {
  const validation = validatePayment(value);
  if (!validation.ok) return { kind: 'park', reason: validation.reason, detail: validation.detail };
  const outcome = await poster.post(validation.payment);
  if (!outcome.posted) return { kind: 'park', reason: outcome.reason, detail: outcome.detail };
  return { kind: 'posted', paymentId: validation.payment.paymentId, erpPaymentId: outcome.erpPaymentId };
}
