import type { CheckResult, GradeResult } from './result.ts';

/** One way two gradings of the same submission on the same seed disagreed. */
export interface GradingDifference {
  /** The check's id, or `(total)` / `(checks)` for the result as a whole. */
  check: string;
  field: string;
  first: string;
  second: string;
}

/** What a check's result is judged by; durations and timestamps vary from run to run and are left out. */
const COMPARED: Array<keyof CheckResult> = ['status', 'score', 'expected', 'actual', 'hint', 'cause', 'error'];

/**
 * Compares two gradings that should be identical: the same submission, lab and seed. A
 * difference means the scenario is not reproducible (randomness outside `random(stream)`, a
 * check that depends on timing or order it does not control).
 */
export function compareGradings(first: GradeResult, second: GradeResult): GradingDifference[] {
  const differences: GradingDifference[] = [];
  const ids = (result: GradeResult) => result.checks.map((check) => check.id).join(', ');
  if (ids(first) !== ids(second)) differences.push({ check: '(checks)', field: 'ids', first: ids(first), second: ids(second) });
  for (const check of first.checks) {
    const other = second.checks.find((candidate) => candidate.id === check.id);
    if (!other) continue;
    for (const field of COMPARED) {
      if (comparable(check[field]) !== comparable(other[field])) differences.push({ check: check.id, field, first: shown(check[field]), second: shown(other[field]) });
    }
  }
  if (differences.length === 0 && first.score !== second.score) {
    differences.push({ check: '(total)', field: 'score', first: String(first.score), second: String(second.score) });
  }
  return differences;
}

/**
 * Measured times move with the machine's load ("2.7 s after the first", "a spread of 38% of
 * the typical wait"), so a number with ms, s or % is compared as <measured>; every other
 * character of a check's text must be the same.
 */
const MEASURED = /\d+(?:\.\d+)?\s?(?:ms|s|%)(?![\p{L}\d])/gu;

function comparable(value: unknown): string {
  return shown(value).replace(MEASURED, '<measured>');
}

function shown(value: unknown): string {
  return value === undefined ? '(none)' : String(value);
}

/** One line per difference, at most `limit`, for a validation step's message. */
export function describeDifferences(differences: GradingDifference[], limit = 3): string {
  const lines = differences.slice(0, limit).map((difference) => `${difference.check} ${difference.field}: ${JSON.stringify(difference.first)} then ${JSON.stringify(difference.second)}`);
  const more = differences.length > limit ? `; +${differences.length - limit} more` : '';
  return `${lines.join('; ')}${more}`;
}
