import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_CODES, UsageError } from '../command.ts';
import { freshSeed } from '../../../mock-systems/platform/random.ts';
import { cohortFolders, gradeCohort, type CohortEntry } from '../../cohort/cohort.ts';
import { cohortCsv } from '../../cohort/cohort-csv.ts';
import { cohortHtml } from '../../cohort/cohort-html.ts';
import { cohortTable } from '../../cohort/cohort-table.ts';
import { DEFAULT_CONCURRENCY } from '../../grading/validate-lab.ts';
import { FORMATS, isFormat, renderReport, type Format } from '../../reporters/formats.ts';
import { ENVIRONMENT_OPTIONS, environmentFrom } from './environment-options.ts';
import { integerOption, LABS_DIR_OPTION, labFrom, labsDirFrom, parseCommandLine, seedFrom } from './shared-options.ts';

/** Report files per submission are named by format. */
const EXTENSIONS: Record<Format, string> = { terminal: 'txt', json: 'json', junit: 'xml', md: 'md', gradescope: 'gradescope.json', exercism: 'exercism.json', classroom: 'classroom.json' };

const COHORT_OPTIONS = {
  ...LABS_DIR_OPTION,
  ...ENVIRONMENT_OPTIONS,
  batch: { type: 'string' },
  seed: { type: 'string' },
  jobs: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const;

/** `lab grade <lab> --batch <dir>` or `lab grade <lab> <dir> <dir>…`: a cohort on one seed. */
export function isCohortGrading(argv: string[]): boolean {
  // Options of a single grading are known too, so their values are not taken for folders.
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...COHORT_OPTIONS, json: { type: 'boolean' }, verbose: { type: 'boolean' }, 'exit-zero': { type: 'boolean' } },
    allowPositionals: true,
    strict: false,
  });
  return values.batch !== undefined || positionals.length > 2;
}

export async function runCohortGrading(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, COHORT_OPTIONS);
  const lab = labFrom(labsDirFrom(values), positionals[0]);
  if (lab.packed) throw new UsageError(`this is a take-home bundle of ${lab.id}: it has the public checks only; grade a cohort with the full lab`);
  const named = positionals.slice(1);
  if (typeof values.batch === 'string' && named.length > 0) throw new UsageError('give a cohort folder with --batch or submission folders, not both');
  const dirs = typeof values.batch === 'string' ? batchFolders(values.batch) : named;
  if (dirs.length === 0) throw new UsageError('name the submissions: --batch <folder with one sub-folder per submission>, or two or more folders');
  const format = values.format ?? 'json';
  if (!isFormat(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${String(values.format)}")`);
  // Every submission gets services of its own; external ones are shared, so one run would see another's.
  if ((values as Record<string, unknown>).env === 'external') throw new UsageError('a cohort gives every submission services of its own: --env embedded (the default) or docker; grade against external services one submission at a time (lab grade <lab> <folder> --env external)');
  const startEnvironment = environmentFrom(values);
  const seed = seedFrom(values.seed) ?? freshSeed();
  const jobs = integerOption(values.jobs, '--jobs', { min: 1, max: 64 }) ?? DEFAULT_CONCURRENCY;
  const out = typeof values.out === 'string' ? values.out : `cohort-${lab.id}`;
  mkdirSync(join(out, 'submissions'), { recursive: true });

  const where = startEnvironment ? ', each in containers of its own' : '';
  process.stderr.write(`Grading ${dirs.length} submission(s) of ${lab.id} on seed ${seed}, ${jobs} at a time${where} (--seed ${seed} grades them again alike).\n`);
  const tty = process.stderr.isTTY === true;
  const entries = await gradeCohort(lab, dirs, {
    seed,
    seedGiven: values.seed !== undefined,
    jobs,
    ...(startEnvironment ? { startEnvironment } : {}),
    onGraded: (done, total) => {
      if (tty) process.stderr.write(`\r${progressBar(done, total)}`);
    },
  });
  if (tty) process.stderr.write('\r\u001b[K');

  for (const entry of entries) {
    if ('result' in entry) writeFileSync(join(out, 'submissions', `${entry.name}.${EXTENSIONS[format]}`), renderReport(entry.result, format, { color: false, verbose: false }));
    else process.stderr.write(`skipped ${entry.name}: ${entry.skipped}\n`);
  }
  writeFileSync(join(out, 'cohort.csv'), cohortCsv(entries, seed));
  writeFileSync(join(out, 'cohort.html'), cohortHtml(entries, { id: lab.id, title: lab.manifest.title }, seed));
  process.stdout.write(cohortTable(entries));
  process.stdout.write(`\nWritten to ${out}/: cohort.csv, cohort.html, submissions/<folder>.${EXTENSIONS[format]}\n`);
  return exitCode(entries);
}

function batchFolders(batch: string): string[] {
  try {
    return cohortFolders(batch);
  } catch {
    throw new UsageError(`--batch ${batch} is not a folder; it holds one sub-folder per submission`);
  }
}

function exitCode(entries: CohortEntry[]): number {
  if (entries.some((entry) => 'result' in entry && entry.result.status === 'error')) return EXIT_CODES.error;
  return entries.every((entry) => 'result' in entry && entry.result.status === 'pass') ? EXIT_CODES.ok : EXIT_CODES.failed;
}

function progressBar(done: number, total: number): string {
  const width = 30;
  const filled = Math.round((width * done) / total);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done} of ${total} graded`;
}
