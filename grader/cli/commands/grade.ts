import type { Command } from '../command.ts';
import { GRADING_EXIT_CODES, runGradingCommand } from './grading-command.ts';
import { isCohortGrading, runCohortGrading } from './grade-cohort.ts';
import { ENVIRONMENT_HELP } from './environment-options.ts';
import { LABS_DIR_HELP } from './shared-options.ts';
import { FORMATS, FORMATS_HELP } from '../../reporters/formats.ts';

export const gradeCommand: Command = {
  name: 'grade',
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

A cohort: lab grade <lab> --batch <folder> (one sub-folder per submission), or
lab grade <lab> <dir> <dir>…. Every submission is graded on one seed (printed; fresh unless
--seed), --jobs at a time, and written under --out <dir> (default cohort-<lab>/):
submissions/<folder>.<format> (--format, default json), cohort.csv (one row per submission,
one column per check) and cohort.html (charts, readable offline). A folder without the
lab's entry file is reported and skipped. Each submission gets fresh services: embedded, or
with --env docker containers of its own (for strangers' code). Exit 0 when every submission
got full marks.
  --batch <folder>    grade each sub-folder of <folder>
  --jobs <n>          gradings at once (cohorts only)

${GRADING_EXIT_CODES}

Examples:
  lab grade 01 ./alice --format json --out alice.json
  lab grade 05 ./bob --seed 42 --format md
  lab grade 01 ./carol --format exercism --out results.json --exit-zero
  lab grade 01 --batch ./cohort-march --out grades/
  lab grade 01 --batch ./candidates --env docker --jobs 2
Adapters: lab export gradescope <lab>; grader/adapters/exercism/run.sh; docs/grader.md.
`,
  run: (argv) => (isCohortGrading(argv) ? runCohortGrading(argv) : runGradingCommand(argv, 'all')),
};
