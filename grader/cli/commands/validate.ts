import { EXIT_CODES, UsageError, type Command } from '../command.ts';
import { findLab, labIds } from '../../labs/catalogue.ts';
import { LabFileError } from '../../labs/lab-file-error.ts';
import { freshSeed } from '../../../mock-systems/platform/random.ts';
import { createLimiter } from '../../grading/bounded-pool.ts';
import { defaultStartEnvironment } from '../../grading/environment-factory.ts';
import { environmentPool } from '../../grading/environment-pool.ts';
import { validateSetups, type SetupValidation } from '../../grading/setup-only.ts';
import { DEFAULT_CONCURRENCY, validateLab, type LabValidation } from '../../grading/validate-lab.ts';
import { DEFAULT_FIXED_SEEDS, DEFAULT_RANDOM_SEEDS } from '../../grading/validation-seeds.ts';
import { formatSetupValidation, formatValidation } from '../../reporters/validation-terminal.ts';
import { integerOption, LABS_DIR_HELP, LABS_DIR_OPTION, labFrom, labsDirFrom, parseCommandLine, useColor } from './shared-options.ts';

const DEFAULT_SETUP_SEEDS = 1000;

export const validateCommand: Command = {
  name: 'validate',
  help: `Usage: lab validate <lab> | --all [options]

Proves a lab's grader right:
  - the reference solution (solutions/<lab>/) gets full marks on the fixed seeds 1..n and on
    a few fresh random seeds (printed, so a failure can be replayed with --seed);
  - graded twice on one seed, the reference gets identical check results (scores, statuses,
    expected and actual texts);
  - the starter runs and does not get full marks;
  - every mutant (solutions/<lab>/mutants/<name>/, with a mutant.yaml naming the check it
    'catches' and its 'mistake') loses points on that check, on seed 1 and on the first random
    seed; a mutant caught on only some of them is named with the seeds;
  - the lab has at least two mutants.

Options:
  --all                 validate every lab
  --seeds <n>           fixed seeds 1..n for the reference (default ${DEFAULT_FIXED_SEEDS}, at least ${DEFAULT_FIXED_SEEDS});
                        with --setup-only: how many random seeds (default ${DEFAULT_SETUP_SEEDS})
  --random-seeds <n>    fresh random seeds for the reference on top (default ${DEFAULT_RANDOM_SEEDS}; 0 for none)
  --seed <list>         exactly these seeds, comma-separated (replays a failure: no fixed or
                        random seeds are added; the mutants get the first two)
  --matrix              also print each lab's kill matrix: mutants × checks, points lost
  --setup-only          run only each scenario's setup, without a submission, on many seeds;
                        the services start once and are restored between seeds
  --jobs <n>            gradings at once (default ${DEFAULT_CONCURRENCY}); with --setup-only: environments at once
  --fresh               start every grading's services afresh, as lab grade does; by default a
                        grading gets services an earlier one used, put back the way a fresh
                        start leaves them (a restore: much cheaper than a start)
  --json                machine-readable: an array of { lab, ok, broken, problems, seeds, steps,
                        matrix } (with --setup-only: { lab, seeds, failures, durationMs })
${LABS_DIR_HELP}

Exit codes:
  0  every lab valid
  1  a lab failed a step (the report says which, with the seed)
  2  usage error
  3  a lab's files are broken: a lab file that does not load, a scenario setup or drive that
     threw, a check that threw; or the environment did not start
`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, {
      ...LABS_DIR_OPTION,
      all: { type: 'boolean' },
      seeds: { type: 'string' },
      'random-seeds': { type: 'string' },
      seed: { type: 'string' },
      matrix: { type: 'boolean' },
      'setup-only': { type: 'boolean' },
      jobs: { type: 'string' },
      fresh: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const labsDir = labsDirFrom(values);
    if (values.all && positionals.length > 0) throw new UsageError('give a lab or --all, not both');
    if (!values.all && positionals.length === 0) throw new UsageError('name a lab, or --all');
    const exact = seedList(values.seed);
    if (exact && (values.seeds !== undefined || values['random-seeds'] !== undefined)) throw new UsageError('--seed names the seeds exactly; leave out --seeds and --random-seeds');
    const setupOnly = values['setup-only'] === true;
    if (setupOnly && (values.matrix || values['random-seeds'] !== undefined || values.fresh)) throw new UsageError('--setup-only grades nothing: --matrix, --random-seeds and --fresh do not apply');
    const ids = values.all ? labIds(labsDir) : positionals.map((query) => labFrom(labsDir, query).id);

    if (setupOnly) {
      const count = integerOption(values.seeds, '--seeds', { min: 1, max: 1_000_000 }) ?? DEFAULT_SETUP_SEEDS;
      const seeds = exact ?? distinctSeeds(count);
      const validations: SetupValidation[] = [];
      const tty = process.stderr.isTTY && !values.json;
      for (const id of ids) {
        const onSeed = (done: number, total: number) => process.stderr.write(`\rlab validate --setup-only: ${id} ${done} of ${total} seeds`);
        validations.push(await validateSetups(findLab(labsDir, id), seeds, { concurrency: concurrencyFrom(values.jobs), ...(tty ? { onSeed } : {}) }));
      }
      if (tty) process.stderr.write('\r\u001b[K');
      process.stdout.write(values.json ? `${JSON.stringify(validations, null, 2)}\n` : formatSetupValidation(validations, { color: useColor() }));
      // A setup that throws is the lab's own code failing, as `lab grade` reports it.
      return validations.some((validation) => validation.failures.length > 0) ? EXIT_CODES.error : EXIT_CODES.ok;
    }

    const fixedSeeds = integerOption(values.seeds, '--seeds', { min: DEFAULT_FIXED_SEEDS, max: 10_000 });
    const randomSeeds = integerOption(values['random-seeds'], '--random-seeds', { min: 0, max: 10_000 });
    const concurrency = concurrencyFrom(values.jobs);
    // Every lab's gradings share one pool, so --all keeps the pool full from start to end.
    const limiter = createLimiter(concurrency);
    const progress = process.stderr.isTTY && !values.json ? progressLine() : undefined;
    // The project's own submissions only, so one grading may reuse the services of another.
    const pool = values.fresh ? undefined : environmentPool(defaultStartEnvironment);
    const validations: LabValidation[] = await Promise.all(
      ids.map(async (id): Promise<LabValidation> => {
        try {
          return await validateLab(findLab(labsDir, id), {
            ...(exact ? { seeds: exact } : {}),
            ...(fixedSeeds !== undefined ? { fixedSeeds } : {}),
            ...(randomSeeds !== undefined ? { randomSeeds } : {}),
            limiter,
            ...(pool ? { startEnvironment: pool.start } : {}),
            ...(progress ? { onProgress: progress } : {}),
          });
        } catch (error) {
          if (!(error instanceof LabFileError)) throw error;
          return { lab: id, ok: false, broken: true, problems: [error.message], steps: [] };
        }
      }),
    ).finally(() => pool?.dispose());
    if (progress) process.stderr.write('\r\u001b[K');
    process.stdout.write(values.json ? `${JSON.stringify(validations, null, 2)}\n` : formatValidation(validations, { color: useColor(), matrix: values.matrix === true }));
    if (validations.some((validation) => validation.broken)) return EXIT_CODES.error;
    return validations.every((validation) => validation.ok) ? EXIT_CODES.ok : EXIT_CODES.failed;
  },
};

/** "lab validate: 12 of 87 gradings" on one terminal line, rewritten as gradings end. */
function progressLine(): NonNullable<Parameters<typeof validateLab>[1]>['onProgress'] {
  let planned = 0;
  let graded = 0;
  return (event) => {
    if ('planned' in event) planned += event.planned;
    else graded += event.graded;
    process.stderr.write(`\rlab validate: ${graded} of ${planned} gradings`);
  };
}

function concurrencyFrom(value: unknown): number {
  return integerOption(value, '--jobs', { min: 1, max: 64 }) ?? DEFAULT_CONCURRENCY;
}

function seedList(value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = String(value).split(',').map((part) => part.trim()).filter((part) => part.length > 0);
  if (parts.length === 0) throw new UsageError('--seed needs one or more seeds, e.g. --seed 12,42');
  return parts.map((part) => integerOption(part, '--seed', { min: 0 })!);
}

function distinctSeeds(count: number): number[] {
  const seeds = new Set<number>();
  while (seeds.size < count) seeds.add(freshSeed());
  return [...seeds];
}
