import type { Command } from '../command.ts';
import { GRADING_EXIT_CODES, runGradingCommand } from './grading-command.ts';
import { ENVIRONMENT_HELP } from './environment-options.ts';
import { LABS_DIR_HELP } from './shared-options.ts';
import { FORMATS, FORMATS_HELP } from '../../reporters/formats.ts';

export const gradeCommand: Command = {
  name: 'grade',
  summary: 'Grade a submission with public and hidden checks; reports for Gradescope, Exercism, CI.',
  help: `Usage: lab grade <lab> <dir> [--seed <n>] [--format ${FORMATS.join('|')}] [--out <file>] [--exit-zero]

Runs the submission in <dir> against a fresh environment and runs every check, public and
hidden. A fresh seed each run unless --seed is given; the same seed gives the same result.

Options:
  --seed <n>          use this seed (print it from a report to reproduce a grade)
${FORMATS_HELP}
  --json              same as --format json
  --out <file>        write the report to <file> instead of stdout
  --exit-zero         exit 0 whatever the verdict once the report is written (platform runners)
  --verbose           terminal: show the submission's output even when it ran fine
${ENVIRONMENT_HELP}
${LABS_DIR_HELP}

${GRADING_EXIT_CODES}

Examples:
  lab grade 01 ./alice --format json --out alice.json
  lab grade 05 ./bob --seed 42 --format md
  lab grade 01 ./carol --format exercism --out results.json --exit-zero
Adapters: lab export gradescope <lab>; grader/adapters/exercism/run.sh; docs/grader.md.
`,
  run: (argv) => runGradingCommand(argv, 'all'),
};
