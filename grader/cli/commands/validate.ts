import { EXIT_CODES, UsageError, type Command } from '../command.ts';
import { labIds } from '../../labs/catalogue.ts';
import { LabFileError } from '../../labs/lab-file-error.ts';
import { DEFAULT_VALIDATION_SEEDS, validateLab, type LabValidation } from '../../grading/validate-lab.ts';
import { formatValidation } from '../../reporters/validation-terminal.ts';
import { LABS_DIR_HELP, LABS_DIR_OPTION, labFrom, labsDirFrom, parseCommandLine, useColor } from './shared-options.ts';
import { findLab } from '../../labs/catalogue.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: "A lab's self-test: reference, starter and mutants (trainers).",
  help: `Usage: lab validate <lab> | --all [--seeds <n>] [--json]

Proves a lab's grader right:
  - the reference solution (solutions/<lab>/) gets full marks on every seed (1..n, n ≥ 5);
  - the starter runs and does not get full marks;
  - every mutant (solutions/<lab>/mutants/<name>/, with a mutant.yaml naming the check it
    'catches' and its 'mistake') loses points on that check, on the first two seeds;
  - the lab has at least two mutants.

Options:
  --all               validate every lab
  --seeds <n>         how many seeds the reference is graded on (default 5, at least 5)
  --json              machine-readable: an array of { lab, ok, problems, steps }
${LABS_DIR_HELP}

Exit codes:
  0  every lab validated
  1  a lab failed validation (the report says which step)
  2  usage error
  3  a lab's files are broken, or the environment did not start
`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, { ...LABS_DIR_OPTION, all: { type: 'boolean' }, seeds: { type: 'string' }, json: { type: 'boolean' } });
    const labsDir = labsDirFrom(values);
    if (values.all && positionals.length > 0) throw new UsageError('give a lab or --all, not both');
    if (!values.all && positionals.length === 0) throw new UsageError('name a lab, or --all');
    const count = values.seeds === undefined ? DEFAULT_VALIDATION_SEEDS.length : Number(values.seeds);
    if (!Number.isInteger(count) || count < DEFAULT_VALIDATION_SEEDS.length) {
      throw new UsageError(`--seeds must be a whole number ≥ ${DEFAULT_VALIDATION_SEEDS.length} (got "${String(values.seeds)}")`);
    }
    const seeds = Array.from({ length: count }, (_, index) => index + 1);
    const ids = values.all ? labIds(labsDir) : positionals.map((query) => labFrom(labsDir, query).id);
    const validations: LabValidation[] = [];
    let broken = false;
    for (const id of ids) {
      try {
        validations.push(await validateLab(findLab(labsDir, id), { seeds }));
      } catch (error) {
        if (!(error instanceof LabFileError)) throw error;
        broken = true;
        validations.push({ lab: id, ok: false, problems: [error.message], steps: [] });
      }
    }
    process.stdout.write(values.json ? `${JSON.stringify(validations, null, 2)}\n` : formatValidation(validations, { color: useColor() }));
    if (broken) return EXIT_CODES.error;
    return validations.every((validation) => validation.ok) ? EXIT_CODES.ok : EXIT_CODES.failed;
  },
};
