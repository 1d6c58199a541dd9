import type { LabEnvironment } from '../environment/environment.ts';
import { JOURNAL_BYTE_LIMIT, JOURNAL_ENTRY_LIMIT } from '../../mock-systems/platform/journal.ts';

/** A mock system whose journal dropped its oldest requests during the run. */
export interface OverflowedJournal {
  system: string;
  dropped: number;
}

/**
 * The mock systems whose journals dropped requests. The checks judge what a submission did from
 * the journals, and an absence (no retry after a 4xx, no call without a key) proves nothing in a
 * journal that lost entries: a submission that floods a system with requests would push its own
 * mistakes out of sight. No run of a lab comes near the limits.
 */
export async function overflowedJournals(env: LabEnvironment): Promise<OverflowedJournal[]> {
  const overflowed: OverflowedJournal[] = [];
  for (const [system, admin] of Object.entries(env.systems)) {
    const dropped = admin ? await admin.droppedRequests() : 0;
    if (dropped > 0) overflowed.push({ system, dropped });
  }
  return overflowed;
}

/** How the briefs name the mock systems. */
const SYSTEM_NAMES: Record<string, string> = { crm: 'CRM', erp: 'ERP', partner: 'partner API' };

/** Why every check fails, unrun, when what they read is incomplete: the report's expected, actual and hint. */
export function journalOverflowReason(overflowed: OverflowedJournal[]): { expected: string; actual: string; hint: string } {
  const which = overflowed.map(({ system, dropped }) => `the ${SYSTEM_NAMES[system] ?? system}'s journal dropped its ${dropped} oldest requests`).join('; ');
  return {
    expected: `every request of the run in the mock systems' journals, which hold the newest ${JOURNAL_ENTRY_LIMIT} requests (${JOURNAL_BYTE_LIMIT / 2 ** 20} MiB) of each system`,
    actual: `${which}: what the checks read is incomplete, so none of them can give points`,
    hint: 'A run of this lab makes a few hundred requests. Look for a loop that calls a system without waiting, or retries without end.',
  };
}
