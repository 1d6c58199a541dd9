import type { Address, Parcel } from '../../../mock-systems/partner/data.ts';

/**
 * One order of the warehouse's nightly export: packed, labelled by the ERP order id, waiting
 * for a carrier booking. The export is the job's input; the ERP confirms each order first.
 */
export interface ExportOrder {
  orderId: string;
  serviceLevel: string;
  origin: Address;
  destination: Address;
  parcels: Parcel[];
}

/** The warehouse releases orders in waves of this many, one wave a minute. */
export const WAVE_SIZE = 8;
export const WAVE_INTERVAL_MS = 60_000;
