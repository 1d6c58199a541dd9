import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { EXIT_CODES, type Command } from '../command.ts';
import { LABS_DIR_HELP, LABS_DIR_OPTION, labFrom, labsDirFrom, parseCommandLine } from './shared-options.ts';

export const showCommand: Command = {
  name: 'show',
  help: `Usage: lab show <lab> [--json]

Prints the lab's brief (its README.md) with its skills, services, entry, limits and points.
<lab> is the folder name (01-customer-mapping), its number (01) or its slug (customer-mapping).

Options:
  --json              machine-readable: { manifest, brief, starter }
${LABS_DIR_HELP}

Exit codes: 0 shown, 2 usage error (unknown lab), 3 the lab's files are broken.
`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, { ...LABS_DIR_OPTION, json: { type: 'boolean' } });
    const lab = labFrom(labsDirFrom(values), positionals[0]);
    const brief = readFileSync(lab.briefPath, 'utf8');
    const starter = relative(process.cwd(), lab.starterDir) || lab.starterDir;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ manifest: lab.manifest, brief, starter }, null, 2)}\n`);
      return EXIT_CODES.ok;
    }
    const { manifest } = lab;
    const entry = manifest.entry.kind === 'command' ? `command: ${manifest.entry.command?.join(' ')}` : manifest.entry.kind === 'module' ? `module: ${manifest.entry.module} (export ${manifest.entry.export})` : `${manifest.entry.kind}: ${manifest.entry.file}`;
    process.stdout.write(
      [
        `${lab.id}: ${manifest.title}`,
        `  skills:     ${manifest.skills.join('; ')}`,
        `  services:   ${manifest.services.join(', ') || 'none'}`,
        `  entry:      ${entry}`,
        `  limits:     ${manifest.timeLimitSeconds} s, ${manifest.outputLimitBytes} bytes of output`,
        `  points:     ${manifest.points}  (${manifest.difficulty}, ~${manifest.estimatedMinutes} min)`,
        `  starter:    ${starter}`,
        '',
        brief.trimEnd(),
        '',
        `Copy the starter, then: lab check ${lab.id} <your folder>`,
        '',
      ].join('\n'),
    );
    return EXIT_CODES.ok;
  },
};
