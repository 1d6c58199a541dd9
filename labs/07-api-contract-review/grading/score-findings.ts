import type { LintResult } from '../governance/lint.ts';
import { GOVERNANCE_RULES, severityOf, type RuleId } from '../governance/ruleset.ts';
import type { Finding } from './review-file.ts';

/** A flaw the review should report: a rule broken at one place of the handout. */
export interface Expected {
  rule: RuleId;
  /** The place, as far as a finding must name it (see placeOf). */
  place: string;
}

/**
 * Where a pointer is, at the grain a reviewer is asked for: the operation
 * (/paths/~1returns/post), the component (/components/schemas/Refund) or the server entry
 * (/servers/0). A finding anywhere inside that place names it; its parent does not.
 */
export function placeOf(pointer: string): string {
  const segments = pointer.split('/').slice(1);
  const depth = segments[0] === 'paths' || segments[0] === 'components' ? 3 : segments[0] === 'servers' ? 2 : segments.length;
  return segments.length <= depth ? pointer : `/${segments.slice(0, depth).join('/')}`;
}

/** The handout's lint, one entry per rule and place: a flaw that breaks a rule twice in one operation is one finding. */
export function expectedFindings(lint: LintResult[]): Expected[] {
  const seen = new Map<string, Expected>();
  for (const result of lint) {
    if (!(result.rule in GOVERNANCE_RULES)) continue;
    const expected = { rule: result.rule as RuleId, place: placeOf(result.pointer) };
    seen.set(`${expected.rule} ${expected.place}`, expected);
  }
  return [...seen.values()];
}

export interface Match {
  expected: Expected;
  /** The finding that names the rule at the place, else one that names the rule elsewhere. */
  finding?: Finding;
  located: boolean;
}

/** Pairs each expected flaw with at most one finding: first those at the right place, then the rule alone. */
export function matchFindings(expected: Expected[], findings: Finding[]): { matches: Match[]; unmatched: Finding[] } {
  const free = new Set(findings);
  const matches: Match[] = expected.map((flaw) => {
    const finding = [...free].find((candidate) => candidate.rule === flaw.rule && placeOf(candidate.pointer) === flaw.place);
    if (finding) free.delete(finding);
    return { expected: flaw, ...(finding ? { finding } : {}), located: finding !== undefined };
  });
  for (const match of matches) {
    if (match.finding) continue;
    const finding = [...free].find((candidate) => candidate.rule === match.expected.rule);
    if (finding) {
      free.delete(finding);
      match.finding = finding;
    }
  }
  return { matches, unmatched: [...free] };
}

/** Recall with half credit for the right rule at the wrong place. */
export function recallShare(matches: Match[]): number {
  if (matches.length === 0) return 1;
  return matches.reduce((total, match) => total + (match.located ? 1 : match.finding ? 0.5 : 0), 0) / matches.length;
}

/** Findings that name a real flaw at its place, among all findings. */
export function precisionShare(matches: Match[], findingCount: number): number {
  if (findingCount === 0) return 0;
  return matches.filter((match) => match.located).length / findingCount;
}

export function severityRight(match: Match): boolean {
  return match.finding?.severity === severityOf(match.expected.rule);
}
