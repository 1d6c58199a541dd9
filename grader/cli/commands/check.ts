import type { Command } from '../command.ts';
import { GRADING_EXIT_CODES, runGradingCommand } from './grading-command.ts';
import { ENVIRONMENT_HELP } from './environment-options.ts';
import { LABS_DIR_HELP } from './shared-options.ts';

export const checkCommand: Command = {
  name: 'check',
  help: `Usage: lab check <lab> <dir> [--seed <n>] [--json] [--verbose]

Runs your submission in <dir> against a fresh environment and runs the lab's public checks.
Hidden checks run only in 'lab grade'. Each failed check says what was expected, what
happened and a hint. Your folder is copied first; the copy runs with only the lab's
environment variables, a time limit and an output limit.

Options:
  --seed <n>          use this seed (same seed, same data and result); fresh by default
  --json              print the JSON report instead of the summary
  --verbose           show your program's output even when it ran fine
  --exit-zero         exit 0 whatever the verdict once the report is written (platform runners)
${ENVIRONMENT_HELP}
${LABS_DIR_HELP}

${GRADING_EXIT_CODES}

Example:
  cp -r labs/01-customer-mapping/starter my-01 && lab check 01 my-01
`,
  run: (argv) => runGradingCommand(argv, 'public'),
};
