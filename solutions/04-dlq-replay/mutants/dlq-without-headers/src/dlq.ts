import type { IHeaders } from 'kafkajs';
import type { ParkReason } from './payment.ts';

/** The headers every parked message carries: why it was parked and where it came from. */
export const PARK_HEADERS = {
  reason: 'dlq-reason',
  detail: 'dlq-detail',
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  timestamp: 'dlq-original-timestamp',
  attempt: 'dlq-attempt',
} as const;

/** Where a message was first consumed from. */
export interface Origin {
  topic: string;
  partition: number;
  offset: string;
  /** The original record's timestamp, milliseconds since the epoch. */
  timestamp: string;
}

export interface Parking {
  origin: Origin;
  reason: ParkReason;
  detail: string;
  /** How many times processing failed for good: 1 in the consumer, +1 per replay that parks it again. */
  attempt: number;
}

const OWN = new Set<string>(Object.values(PARK_HEADERS));

/** The original headers (ours removed) plus the parking headers. */
export function parkingHeaders(original: IHeaders | undefined, parking: Parking): IHeaders {
  const kept = Object.fromEntries(Object.entries(original ?? {}).filter(([name]) => !OWN.has(name)));
  return {
    ...kept,
    [PARK_HEADERS.reason]: parking.reason,
    [PARK_HEADERS.detail]: parking.detail,
    [PARK_HEADERS.topic]: parking.origin.topic,
    [PARK_HEADERS.partition]: String(parking.origin.partition),
    [PARK_HEADERS.offset]: parking.origin.offset,
    [PARK_HEADERS.timestamp]: parking.origin.timestamp,
    [PARK_HEADERS.attempt]: String(parking.attempt),
  };
}

/** The origin and attempt recorded on a parked message, or undefined when the headers are not ours. */
export function readParking(headers: IHeaders | undefined): { origin: Origin; attempt: number } | undefined {
  const text = (name: string): string | undefined => {
    const value = headers?.[name];
    const single = Array.isArray(value) ? value[0] : value;
    return single === undefined ? undefined : single.toString();
  };
  const topic = text(PARK_HEADERS.topic);
  const partition = Number(text(PARK_HEADERS.partition));
  const offset = text(PARK_HEADERS.offset);
  const timestamp = text(PARK_HEADERS.timestamp);
  const attempt = Number(text(PARK_HEADERS.attempt));
  if (!topic || !Number.isInteger(partition) || !offset || !timestamp || !Number.isInteger(attempt)) return undefined;
  return { origin: { topic, partition, offset, timestamp }, attempt };
}
