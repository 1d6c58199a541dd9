/**
 * The documented lists a diagnosis chooses from: root-cause categories, next diagnostic steps
 * and mitigations. The brief's tables and the answer schema are checked against these
 * (test/labs/incident-troubleshooting.test.ts), so the three never drift apart.
 */

export const CATEGORIES = {
  'expired-credential': 'The job kept using an access token after it expired, and did not get a new one: the system answers 401 for a token it once accepted.',
  'revoked-credential': 'The credentials themselves are refused (unknown client, rotated secret, revoked key): no token or call is accepted, from the first one on.',
  'rate-limit-exceeded': 'The job called faster than the partner allows: 429 answers, and retries that came back before Retry-After.',
  'partner-server-error': 'The partner failed (500, 502, 503, 504) for longer than the job kept trying.',
  'partner-timeout': 'The partner did not answer within the job\'s timeout, and the job did not try again.',
  'duplicate-after-lost-response': 'A call whose answer never arrived had booked; the job sent the order again as a new booking.',
  'batch-aborted-after-error': 'One order failed and ended its wave: the orders after it were never attempted, and nothing said so.',
  'invalid-record-data': 'The partner refused the record itself (422 with reasons): it fails the same way until its data is corrected.',
  'contract-violation': 'Our request did not match the partner\'s contract (400 listing the violations): a change on our side.',
  'network-failure': 'The partner could not be reached at all (DNS, refused connections, TLS): no call got through.',
} as const;
export type Category = keyof typeof CATEGORIES;
export const CATEGORY_IDS = Object.keys(CATEGORIES) as Category[];

export const NEXT_STEPS = {
  'check-token-lifetime': 'Compare the token\'s lifetime (expires_in) with when the 401s began and with when the job last got a token.',
  'ask-iam-about-the-client': 'Ask the identity team whether the client was disabled or its secret rotated.',
  'compare-request-rate-with-limit': 'Count the job\'s calls per second around the first 429 and compare them with the partner\'s contracted limit.',
  'escalate-to-partner-with-evidence': 'Send the partner\'s on-call the correlation ids, times and statuses of the failed calls and ask what their side logged.',
  'look-up-booking-by-reference': 'Search the partner\'s bookings by reference (GET /shipments?reference=…) to see what each attempt created.',
  'reconcile-export-with-bookings': 'Compare the night\'s export with the partner\'s bookings to list every order that never arrived.',
  'check-record-against-partner-rules': 'Read the 422\'s reasons and check the record against the partner\'s booking rules and its source in the ERP.',
  'capture-network-trace': 'Capture the traffic between the job and the partner (DNS, TCP, TLS) to see where connections fail.',
  'restart-job-and-watch': 'Restart the job and watch whether it happens again.',
} as const;
export type NextStep = keyof typeof NEXT_STEPS;
export const NEXT_STEP_IDS = Object.keys(NEXT_STEPS) as NextStep[];

export const MITIGATIONS = {
  'refresh-token-before-expiry': 'Get a new token before the old one runs out (and once after a 401), instead of one per run.',
  'rotate-credentials': 'Have the client\'s secret rotated and the new one deployed.',
  'throttle-and-honour-retry-after': 'Keep the job under the partner\'s rate limit, and wait at least as long as Retry-After asks.',
  'retry-with-backoff': 'Retry transient 5xx answers more often, with waits that grow.',
  'retry-timeouts': 'Treat a call that timed out as transient and retry it: the order\'s own reference makes that safe.',
  'raise-timeout': 'Give each call longer to answer.',
  'keep-reference-on-retry': 'Send every attempt under the order\'s own reference, so the partner answers 409 with the booking it holds instead of booking twice.',
  'continue-after-record-error': 'Record the failed order and go on with the rest of the wave.',
  'correct-source-data': 'Have the record corrected where it comes from; do not replay it as it is.',
  'replay-all-records': 'Replay the whole night\'s export.',
} as const;
export type Mitigation = keyof typeof MITIGATIONS;
export const MITIGATION_IDS = Object.keys(MITIGATIONS) as Mitigation[];
