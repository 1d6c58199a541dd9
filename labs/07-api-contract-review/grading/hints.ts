import { fromPointer } from '../governance/document.ts';
import type { RuleId } from '../governance/ruleset.ts';
import type { Expected } from './score-findings.ts';

/** What a missed flaw cost the consuming teams, in the brief's words; it names the concern, never the place. */
export const CONCERN: Record<RuleId, string> = {
  'versioned-server-url': 'how a breaking change could ship without breaking today\'s callers (versioning)',
  'problem-details-errors': 'the one error model every consumer parses (the mobile team\'s complaint)',
  'bounded-page-size': 'how much one call may return (the analytics export that timed out)',
  'cursor-pagination': 'pages that shift while records are added (the duplicates and gaps in the nightly sync)',
  'idempotency-key-on-post': 'retrying a write whose answer was lost (the double-booked pickups)',
  'operation-security-defined': 'which credentials an operation takes (the security team\'s finding)',
  'no-error-in-success': 'failures reported with a success status (the support team\'s silent failures)',
  'error-responses-documented': 'statuses callers get but cannot find in the contract',
  'schema-names-pascal-case': 'the names the generated clients get (the SDK team)',
  'operation-id-camel-case': 'the method names the generated clients get (the SDK team)',
};

/** The resource a place belongs to, so a hint says where to look without the pointer. */
export function areaOf(place: string): string {
  const segments = fromPointer(place);
  if (segments[0] === 'servers') return 'the servers';
  if (segments[0] === 'components') return `the ${segments[1] ?? 'components'}`;
  if (segments[0] === 'paths') return `the ${(segments[1] ?? '').split('/')[1] ?? 'paths'} operations`;
  return 'the document';
}

export function missHint(expected: Expected, located: boolean): string {
  return located
    ? `${CONCERN[expected.rule]}: right rule, but point at the place in ${areaOf(expected.place)} the rule is about`
    : `a flaw about ${CONCERN[expected.rule]}, in ${areaOf(expected.place)}`;
}
