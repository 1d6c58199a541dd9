import { readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Lab } from '../labs/catalogue.ts';
import { createLimiter, mapWithLimit } from '../grading/bounded-pool.ts';
import type { StartEnvironment } from '../grading/environment-factory.ts';
import { gradeLab } from '../grading/grade-lab.ts';
import type { GradeResult } from '../grading/result.ts';
import { submissionProblem } from './entry-file.ts';

/** One member of a cohort: graded, or skipped with the reason (a bad folder never stops the batch). */
export type CohortEntry = { name: string; dir: string; result: GradeResult } | { name: string; dir: string; skipped: string };

export interface CohortOptions {
  seed: number;
  /** The trainer chose the seed (`--seed`): see DriveContext.seedGiven. */
  seedGiven?: boolean;
  jobs: number;
  /** Fresh services for each submission: the embedded ones when not given, or containers (docker). */
  startEnvironment?: StartEnvironment;
  onGraded?: (done: number, total: number) => void;
  grade?: typeof gradeLab;
}

/** Every sub-folder of a cohort folder, sorted by name; hidden folders (.git) are not submissions. */
export function cohortFolders(batchDir: string): string[] {
  return readdirSync(batchDir)
    .filter((name) => !name.startsWith('.') && statSync(join(batchDir, name)).isDirectory())
    .sort()
    .map((name) => join(batchDir, name));
}

/** Grades every submission on one seed, a bounded number at a time, in the order given. */
export async function gradeCohort(lab: Lab, dirs: string[], options: CohortOptions): Promise<CohortEntry[]> {
  const grade = options.grade ?? gradeLab;
  const limiter = createLimiter(options.jobs);
  let done = 0;
  return mapWithLimit(dirs, limiter, async (dir): Promise<CohortEntry> => {
    const name = basename(resolve(dir));
    try {
      const problem = submissionProblem(dir, lab.manifest.entry);
      if (problem) return { name, dir, skipped: problem };
      return { name, dir, result: await grade(lab, dir, { checks: 'all', seed: options.seed, seedGiven: options.seedGiven ?? false, ...(options.startEnvironment ? { startEnvironment: options.startEnvironment } : {}) }) };
    } catch (error) {
      return { name, dir, skipped: error instanceof Error ? error.message : String(error) };
    } finally {
      options.onGraded?.(++done, dirs.length);
    }
  });
}

/** The check ids and titles of a cohort, in report order, from the first graded submission. */
export function cohortChecks(entries: CohortEntry[]): Array<{ id: string; title: string; points: number; visibility: string }> {
  const graded = entries.find((entry): entry is Extract<CohortEntry, { result: GradeResult }> => 'result' in entry);
  return graded ? graded.result.checks.map(({ id, title, points, visibility }) => ({ id, title, points, visibility })) : [];
}
