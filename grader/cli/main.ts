import { EXIT_CODES, UsageError, type Command } from './command.ts';

/**
 * Every command, in the order `lab --help` lists them. A command's module is imported only when
 * it runs: `lab start` needs the whole environment, `lab list` only the lab files (loading every
 * command's dependencies made `lab --help` take 2.4 s instead of 0.4, and `lab list` 2.6 instead of 1).
 */
const COMMANDS: Array<{ name: string; summary: string; load(): Promise<Command> }> = [
  { name: 'list', summary: 'List the labs: id, title, difficulty, time.', load: async () => (await import('./commands/list.ts')).listCommand },
  { name: 'show', summary: "Show a lab's brief and what it needs.", load: async () => (await import('./commands/show.ts')).showCommand },
  {
    name: 'start',
    summary: 'Start the lab environment (mock CRM, ERP, partner, Kafka, PostgreSQL) until Ctrl-C.',
    load: async () => (await import('./commands/start.ts')).startCommand,
  },
  { name: 'check', summary: 'Run the public checks on your work: fast feedback while you solve.', load: async () => (await import('./commands/check.ts')).checkCommand },
  {
    name: 'grade',
    summary: 'Grade a submission with public and hidden checks; reports for Gradescope, Exercism, CI.',
    load: async () => (await import('./commands/grade.ts')).gradeCommand,
  },
  { name: 'validate', summary: "A lab's self-test: reference, starter and mutants (trainers).", load: async () => (await import('./commands/validate.ts')).validateCommand },
  { name: 'export', summary: 'Package a lab for a grading platform: a Gradescope autograder zip.', load: async () => (await import('./commands/export.ts')).exportCommand },
  { name: 'new', summary: 'Scaffold a small working lab to edit from green (trainers).', load: async () => (await import('./commands/new.ts')).newCommand },
  {
    name: 'pack',
    summary: "Write a lab's take-home bundle for a candidate, without hidden checks (trainers).",
    load: async () => (await import('./commands/pack.ts')).packCommand,
  },
];

const USAGE = `Integration Lab: hands-on integration labs and their grader.

Usage: lab <command> [options]
       (installed elsewhere: integration-lab <command>, or npx integration-lab <command>)

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`).join('\n')}

Run 'lab <command> --help' for a command's options.

Exit codes:
  0  success
  1  the submission did not get full marks, or a lab failed validation
  2  usage error (unknown command or option, missing argument)
  3  environment or lab-file error (a service did not start, a lab file is broken)
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name === undefined ? EXIT_CODES.usage : EXIT_CODES.ok;
  }
  const entry = COMMANDS.find((candidate) => candidate.name === name);
  if (!entry) {
    process.stderr.write(`lab: unknown command '${name}'. Run 'lab --help' for the list.\n`);
    return EXIT_CODES.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help);
    return EXIT_CODES.ok;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`lab ${command.name}: ${error.message}\nRun 'lab ${command.name} --help' for usage.\n`);
      return EXIT_CODES.usage;
    }
    process.stderr.write(`lab ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_CODES.error;
  }
}
