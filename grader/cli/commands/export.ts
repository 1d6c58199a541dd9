import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT_CODES, UsageError, type Command } from '../command.ts';
import { gradescopeBundle } from '../../adapters/gradescope/bundle.ts';
import { LABS_DIR_HELP, LABS_DIR_OPTION, labFrom, labsDirFrom, parseCommandLine } from './shared-options.ts';

const PLATFORMS = ['gradescope'] as const;

export const exportCommand: Command = {
  name: 'export',
  help: `Usage: lab export gradescope <lab> [--out <file.zip>]

Writes a Gradescope autograder zip for <lab>: setup.sh and run_autograder at its root, the
grader, the mock systems and the lab with its hidden checks (no solutions). Upload it as the
assignment's autograder ("Zip file upload"); each submission is graded on a fresh seed and
the student sees each check's feedback, hidden checks without their expected value or hint.
See docs/grader.md, section Gradescope.

Options:
  --out <file.zip>    where to write the zip (default: <lab-id>-gradescope.zip here)
${LABS_DIR_HELP}

Exit codes:
  0  the zip was written
  2  usage error: unknown platform or lab, bad option
  3  the zip could not be written

Example:
  lab export gradescope 01 --out customer-mapping.zip
`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, { ...LABS_DIR_OPTION, out: { type: 'string' } });
    const [platform, query, extra] = positionals;
    if (!platform) throw new UsageError(`name a platform: ${PLATFORMS.join(', ')} (e.g. lab export gradescope 01)`);
    if (platform !== 'gradescope') throw new UsageError(`unknown platform '${platform}': lab export knows ${PLATFORMS.join(', ')}; for Exercism and GitHub Classroom see docs/grader.md`);
    if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
    const lab = labFrom(labsDirFrom(values), query);
    // A packed lab has its hidden checks taken out; an autograder without them would grade on public checks alone.
    if (lab.packed) throw new UsageError(`${lab.id} is a packed take-home lab without its hidden checks; export it from the full project`);
    const out = resolve(typeof values.out === 'string' ? values.out : `${lab.id}-gradescope.zip`);
    const zip = gradescopeBundle(lab);
    writeFileSync(out, zip);
    process.stderr.write(`${lab.id}: Gradescope autograder written to ${out} (${Math.round(zip.length / 1024)} KiB)\n`);
    return EXIT_CODES.ok;
  },
};
