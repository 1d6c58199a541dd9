import type { CheckResult, GradeResult } from '../grading/result.ts';
import { describeRun } from './run-description.ts';
import { head, tail } from './safe-text.ts';

export { roundPoints } from './points.ts';

/**
 * Who reads a report. A learner never sees a hidden check's expected value or hint (that
 * would hand over the hidden scenario); a trainer sees everything.
 */
export type Audience = 'learner' | 'trainer';

/** A name that stays the same across seeds and scores, so a CI server's test history follows the check. */
export function testName(check: Pick<CheckResult, 'id' | 'title'>): string {
  return `${check.id}: ${check.title}`;
}

export function revealsDetail(check: CheckResult, audience: Audience): boolean {
  return audience === 'trainer' || check.visibility === 'public';
}

/** Said in place of a hidden check's expected value and hint, so the learner knows why they are missing. */
export const WITHHELD = 'This is a hidden check: its expected value and hint are not shown. Reread the brief for the case it describes.';

/** What a failed check says, one line per part, for platforms that show one text per test; null when it passed. */
export function checkFeedback(check: CheckResult, audience: Audience): string | null {
  if (check.status === 'pass') return null;
  if (check.status === 'error') return `Grader error (not your fault): ${check.error ?? 'unknown'}`;
  const reveal = revealsDetail(check, audience);
  const parts = [
    check.cause ? `Failed after a ${check.cause.replace('-', ' ')} of the submission.` : undefined,
    reveal && check.expected !== undefined ? `Expected: ${head(check.expected, 2000)}` : undefined,
    check.actual !== undefined ? `Actual: ${head(check.actual, 2000)}` : undefined,
    reveal && check.hint !== undefined ? `Hint: ${check.hint}` : undefined,
    reveal ? undefined : WITHHELD,
  ].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? parts.join('\n') : 'Failed.';
}

/**
 * How the run ended, for the part of a report about the whole submission: the run line, the
 * compiler's message with file, line and column for a build error, else the end of the output
 * when the run went wrong. Empty when the run ended normally.
 */
export function runFeedback(result: GradeResult, outputChars: number): string {
  const runLine = describeRun(result.run);
  if (!runLine) return '';
  if (result.run.buildError) return `${runLine}\n${result.run.buildError}`;
  const output = result.run.stderr || result.run.stdout;
  return output ? `${runLine}\nLast lines of ${result.run.stderr ? 'stderr' : 'stdout'}:\n${tail(output, outputChars)}` : runLine;
}
