// The categories an incident of this lab can have. The others are in the brief's taxonomy
// because real tickets have them; which ones never occur is part of the answer key, so this
// list stays hidden (`lab pack` leaves it out of a bundle).
import type { Category } from '../grading/lists.ts';

export const INCIDENT_KINDS = [
  'expired-credential',
  'rate-limit-exceeded',
  'partner-server-error',
  'partner-timeout',
  'duplicate-after-lost-response',
  'batch-aborted-after-error',
  'invalid-record-data',
] as const satisfies readonly Category[];
export type IncidentKind = (typeof INCIDENT_KINDS)[number];
