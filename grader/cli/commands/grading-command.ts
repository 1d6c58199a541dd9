import { existsSync, writeFileSync } from 'node:fs';
import { EXIT_CODES, UsageError } from '../command.ts';
import { beforeExitOnSignal } from '../../environment/exit-signals.ts';
import { freshSeed } from '../../../mock-systems/platform/random.ts';
import { submissionProblem } from '../../cohort/entry-file.ts';
import { gradeLab, interruptedResult } from '../../grading/grade-lab.ts';
import type { GradeResult } from '../../grading/result.ts';
import { FORMATS, isFormat, renderReport, type Format } from '../../reporters/formats.ts';
import { roundPoints } from '../../reporters/points.ts';
import { SubmissionNotFoundError, SubmissionTooLargeError } from '../../runner/workspace.ts';
import { ENVIRONMENT_OPTIONS, environmentFrom } from './environment-options.ts';
import { LABS_DIR_OPTION, labFrom, labsDirFrom, parseCommandLine, seedFrom, useColor } from './shared-options.ts';

/** `lab check` and `lab grade`: the same run, differing in which checks and which outputs. */
export async function runGradingCommand(argv: string[], checks: 'public' | 'all'): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    ...LABS_DIR_OPTION,
    ...ENVIRONMENT_OPTIONS,
    seed: { type: 'string' },
    json: { type: 'boolean' },
    format: { type: 'string' },
    out: { type: 'string' },
    verbose: { type: 'boolean' },
    'exit-zero': { type: 'boolean' },
  });
  if (checks === 'public' && (values.format !== undefined || values.out !== undefined)) {
    throw new UsageError('--format and --out belong to lab grade; lab check prints a summary (or --json)');
  }
  const format = formatFrom(values.format, values.json === true);
  const lab = labFrom(labsDirFrom(values), positionals[0]);
  if (checks === 'all' && lab.packed) {
    throw new UsageError(`this is a take-home bundle of ${lab.id}: it has the public checks only (lab check); a trainer grades the returned work folder with the full lab`);
  }
  const submissionDir = positionals[1];
  if (!submissionDir) throw new UsageError('name the folder with your work, e.g. lab check 01 ./my-solution');
  if (positionals.length > 2) throw new UsageError(`unexpected argument '${positionals[2]}'`);
  // A folder without the file the lab runs is the wrong folder, not a submission that failed to build.
  const entryProblem = existsSync(submissionDir) ? submissionProblem(submissionDir, lab.manifest.entry) : undefined;
  if (entryProblem) throw new UsageError(entryProblem);
  const seed = seedFrom(values.seed) ?? freshSeed();
  const startEnvironment = environmentFrom(values);
  const out = typeof values.out === 'string' ? values.out : undefined;
  const report = (result: GradeResult) => {
    const text = renderReport(result, format, { color: out === undefined && useColor(), verbose: values.verbose === true });
    if (out === undefined) return void process.stdout.write(text);
    writeFileSync(out, text);
    process.stderr.write(`${result.lab.id}: ${roundPoints(result.score)}/${roundPoints(result.maxScore)}, ${format} report written to ${out}\n`);
  };
  // Whatever ends this process, the report says what happened: a trainer never finds no file.
  const unregister = beforeExitOnSignal((signal) => report(interruptedResult(lab, seed, checks, signal)));

  let result: GradeResult;
  try {
    result = await gradeLab(lab, submissionDir, { checks, seed, seedGiven: values.seed !== undefined, ...(startEnvironment ? { startEnvironment } : {}) });
  } catch (error) {
    if (error instanceof SubmissionNotFoundError || error instanceof SubmissionTooLargeError) throw new UsageError(error.message);
    throw error;
  } finally {
    unregister();
  }

  report(result);
  // A platform's runner reads the verdict from the report; a non-zero exit would tell it the runner broke.
  if (values['exit-zero'] === true) return EXIT_CODES.ok;
  if (result.status === 'error') return EXIT_CODES.error;
  return result.status === 'pass' ? EXIT_CODES.ok : EXIT_CODES.failed;
}

function formatFrom(value: unknown, json: boolean): Format {
  if (json && value !== undefined && value !== 'json') throw new UsageError('--json and --format disagree; give one');
  const format = json ? 'json' : (value ?? 'terminal');
  if (!isFormat(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got "${String(value)}")`);
  return format;
}

export const GRADING_EXIT_CODES = `Exit codes:
  0  full marks on the checks that ran
  1  the submission ran and lost points (including a crash, timeout or build error of the submission)
  2  usage error: unknown lab, missing folder, bad option
  3  grader or environment error: a broken lab file, a service that did not start, a check that threw
  With --exit-zero: 0 whenever a report was written (for platform runners); 2 stays 2`;
