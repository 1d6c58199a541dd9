import { EXIT_CODES, type Command } from '../command.ts';
import { listLabs } from '../../labs/catalogue.ts';
import { LABS_DIR_HELP, LABS_DIR_OPTION, labsDirFrom, parseCommandLine } from './shared-options.ts';

export const listCommand: Command = {
  name: 'list',
  help: `Usage: lab list [--json]

Lists every lab with its id, title, difficulty, estimated time and summary. A lab whose files
are broken is listed with the error instead.

Options:
  --json              machine-readable: an array of { id, title, summary, skills, services,
                      difficulty, estimatedMinutes, points } (or { id, error })
${LABS_DIR_HELP}

Exit codes: 0 listed (even when some labs are broken), 2 usage error.
`,
  async run(argv) {
    const { values } = parseCommandLine(argv, { ...LABS_DIR_OPTION, json: { type: 'boolean' } });
    const entries = listLabs(labsDirFrom(values));
    if (values.json) {
      const rows = entries.map((entry) =>
        'lab' in entry
          ? {
              id: entry.id,
              title: entry.lab.manifest.title,
              summary: entry.lab.manifest.summary,
              skills: entry.lab.manifest.skills,
              services: entry.lab.manifest.services,
              difficulty: entry.lab.manifest.difficulty,
              estimatedMinutes: entry.lab.manifest.estimatedMinutes,
              points: entry.lab.manifest.points,
            }
          : { id: entry.id, error: entry.error.message },
      );
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return EXIT_CODES.ok;
    }
    if (entries.length === 0) {
      process.stdout.write('No labs found.\n');
      return EXIT_CODES.ok;
    }
    for (const entry of entries) {
      if ('error' in entry) {
        process.stdout.write(`${entry.id}  (broken: ${entry.error.message.split('\n')[0]})\n\n`);
        continue;
      }
      const { manifest } = entry.lab;
      process.stdout.write(`${entry.id}  ${manifest.title}  [${manifest.difficulty}, ~${manifest.estimatedMinutes} min]\n    ${manifest.summary}\n\n`);
    }
    process.stdout.write("Run 'lab show <lab>' for a brief.\n");
    return EXIT_CODES.ok;
  },
};
