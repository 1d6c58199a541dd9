import type { CohortEntry } from './cohort.ts';
import { cohortChecks } from './cohort.ts';

/**
 * The terminal's view of a cohort: one row per submission, one column per check (numbered,
 * with a key below), each cell the points scored, `-` for a skipped submission.
 */
export function cohortTable(entries: CohortEntry[]): string {
  const checks = cohortChecks(entries);
  const nameWidth = Math.max(10, ...entries.map((entry) => entry.name.length));
  const cellWidth = Math.max(5, ...checks.map((check) => String(check.points).length * 2 + 4));
  const scores = entries.map((entry) => ('result' in entry ? `${round(entry.result.score)}/${entry.result.maxScore}` : 'skipped'));
  const scoreWidth = Math.max(5, ...scores.map((score) => score.length));
  const header = `${'submission'.padEnd(nameWidth)}  ${'score'.padStart(scoreWidth)}  ${checks.map((_, index) => `#${index + 1}`.padStart(cellWidth)).join(' ')}`;
  const rows = entries.map((entry, row) => {
    if ('skipped' in entry) return `${entry.name.padEnd(nameWidth)}  ${'skipped'.padStart(scoreWidth)}  ${entry.skipped}`;
    const { result } = entry;
    const cells = checks.map((check) => {
      const found = result.checks.find((candidate) => candidate.id === check.id);
      return (found ? `${round(found.score)}/${found.points}` : '-').padStart(cellWidth);
    });
    return `${entry.name.padEnd(nameWidth)}  ${scores[row]!.padStart(scoreWidth)}  ${cells.join(' ')}`;
  });
  const key = checks.map((check, index) => `  #${index + 1} ${check.id}${check.visibility === 'hidden' ? ' (hidden)' : ''}`);
  return [header, ...rows, '', 'Checks:', ...key, ''].join('\n');
}

const round = (value: number) => Math.round(value * 100) / 100;
