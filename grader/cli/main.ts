import { EXIT_CODES, UsageError, type Command } from './command.ts';
import { checkCommand } from './commands/check.ts';
import { exportCommand } from './commands/export.ts';
import { gradeCommand } from './commands/grade.ts';
import { listCommand } from './commands/list.ts';
import { newCommand } from './commands/new.ts';
import { packCommand } from './commands/pack.ts';
import { showCommand } from './commands/show.ts';
import { startCommand } from './commands/start.ts';
import { validateCommand } from './commands/validate.ts';

/** Every command, in the order `lab --help` lists them. */
const COMMANDS: Command[] = [listCommand, showCommand, startCommand, checkCommand, gradeCommand, validateCommand, exportCommand, newCommand, packCommand];

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
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`lab: unknown command '${name}'. Run 'lab --help' for the list.\n`);
    return EXIT_CODES.usage;
  }
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
