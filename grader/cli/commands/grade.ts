import type { Command } from '../command.ts';
import { GRADING_EXIT_CODES, runGradingCommand } from './grading-command.ts';
import { ENVIRONMENT_HELP } from './environment-options.ts';
import { LABS_DIR_HELP } from './shared-options.ts';

export const gradeCommand: Command = {
  name: 'grade',
  summary: 'Grade a submission with public and hidden checks; JSON, JUnit or Markdown reports.',
  help: `Usage: lab grade <lab> <dir> [--seed <n>] [--format terminal|json|junit|md] [--out <file>]

Runs the submission in <dir> against a fresh environment and runs every check, public and
hidden. A fresh seed each run unless --seed is given; the same seed gives the same result.

Options:
  --seed <n>          use this seed (print it from a report to reproduce a grade)
  --format <f>        terminal (default), json (a superset of Exercism's results.json v3 and
                      Gradescope's results.json), junit (JUnit XML), md (a pull-request comment)
  --json              same as --format json
  --out <file>        write the report to <file> instead of stdout
  --verbose           terminal: show the submission's output even when it ran fine
${ENVIRONMENT_HELP}
${LABS_DIR_HELP}

${GRADING_EXIT_CODES}

Examples:
  lab grade 01 ./alice --format json --out alice.json
  lab grade 05 ./bob --seed 42 --format md
`,
  run: (argv) => runGradingCommand(argv, 'all'),
};
