import { EXIT_CODES, UsageError, type Command } from '../command.ts';
import { scaffoldLab, ScaffoldError } from '../../scaffold/new-lab.ts';
import { LABS_DIR_HELP, LABS_DIR_OPTION, labsDirFrom, parseCommandLine } from './shared-options.ts';

export const newCommand: Command = {
  name: 'new',
  help: `Usage: lab new <NN-slug> [--title <text>]

Writes a small lab that 'lab validate' passes as it is, so you edit from green:
  labs/<NN-slug>/lab.yaml, README.md (the brief's sections), scenario.ts (setup and a public
  check), hidden/checks.ts (a hidden check), grading/AUTHORING.md (criterion, check, mutant
  table and a to-do list), starter/ (src/main.ts and an example unit test), and
  solutions/<NN-slug>/ with the reference and two mutants.
Nothing is overwritten: an existing folder or a taken number is an error.

Options:
  --title <text>      the lab's title (default: from the slug)
${LABS_DIR_HELP}
                      (solutions go to the solutions/ folder beside it)

Exit codes: 0 written, 2 usage error (bad id, taken number, existing folder).

Example:
  lab new 42-order-export && lab validate 42-order-export
`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, { ...LABS_DIR_OPTION, title: { type: 'string' } });
    const id = positionals[0];
    if (!id) throw new UsageError('name the new lab, e.g. lab new 42-order-export');
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    let scaffold;
    try {
      scaffold = scaffoldLab({ labsDir: labsDirFrom(values), id, ...(typeof values.title === 'string' ? { title: values.title } : {}) });
    } catch (error) {
      if (error instanceof ScaffoldError) throw new UsageError(error.message);
      throw error;
    }
    process.stdout.write(
      [
        `Lab ${id} written:`,
        ...scaffold.files.map((file) => `  ${file}`),
        '',
        'Next:',
        `  lab validate ${id}            green as written`,
        `  edit the brief, lab.yaml, scenario.ts and hidden/checks.ts; the to-do list is in grading/AUTHORING.md`,
        '  docs/authoring-labs.md walks through every file',
        '',
      ].join('\n'),
    );
    return EXIT_CODES.ok;
  },
};
