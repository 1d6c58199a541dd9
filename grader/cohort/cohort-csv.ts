import type { CohortEntry } from './cohort.ts';
import { cohortChecks } from './cohort.ts';

/**
 * cohort.csv: one row per submission named by its folder, one column per check (points
 * scored), RFC 4180 quoting, so a spreadsheet or an HR system reads it as it is.
 */
export function cohortCsv(entries: CohortEntry[], seed: number): string {
  const checks = cohortChecks(entries);
  const header = ['submission', 'status', 'score', 'max_score', 'seed', ...checks.map((check) => check.id), 'note'];
  const rows = entries.map((entry) => {
    if ('skipped' in entry) return [entry.name, 'skipped', '', '', String(seed), ...checks.map(() => ''), entry.skipped];
    const { result } = entry;
    const byId = new Map(result.checks.map((check) => [check.id, check]));
    return [
      entry.name,
      result.status,
      String(result.score),
      String(result.maxScore),
      String(result.seed),
      ...checks.map((check) => String(byId.get(check.id)?.score ?? '')),
      result.status === 'error' ? result.graderErrors.join('; ') : '',
    ];
  });
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  // A leading = + - @ would make a spreadsheet run the cell as a formula: a folder name is untrusted.
  // Only a whole number is left as it is (a negative score); `-1+cmd|…` starts like one and is not.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
