/** The headers every parked message carries (the brief says what each value must be). */
export const PARK_HEADERS = {
  reason: 'dlq-reason',
  detail: 'dlq-detail',
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  timestamp: 'dlq-original-timestamp',
  attempt: 'dlq-attempt',
} as const;

// TODO: build these headers for a message you park, and read them back in the replay.
