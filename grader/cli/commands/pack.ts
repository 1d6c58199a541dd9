import { EXIT_CODES, UsageError, type Command } from '../command.ts';
import { packLab, PackError } from '../../pack/pack-lab.ts';
import { LABS_DIR_HELP, LABS_DIR_OPTION, labFrom, labsDirFrom, parseCommandLine, seedFrom } from './shared-options.ts';

export const packCommand: Command = {
  name: 'pack',
  help: `Usage: lab pack <lab> [--seed <n>] [--out <file.tgz>]

Writes a self-contained take-home bundle of one lab, a .tgz a candidate unpacks anywhere and
uses with Node alone:
  npm install      the services, the grader for the public checks, the typed clients, vitest
  npm test         the unit tests in work/ (the starter, until the candidate changes it)
  npm start        the lab's services with its data and faults
  npm run check    the public checks on work/ (exit codes 0, 1, 2, 3 as for lab check)
It holds the brief (with the system docs it links to), the starter as work/, and the lab's
scenario with its public checks. It leaves out the lab's hidden/ folder (hidden checks and
datasets), its AUTHORING.md notes, every solution and mutant. A lab that still has hidden
checks in scenario.ts, or imports hidden/ statically, is refused with what to move.

A lab whose handout differs per seed (06: a night of logs; 07: a contract) keeps the generator
in hidden/, since it knows the answers: the bundle gets one seed's handout, ready in work/ (and
in the lab's starter/), and its public checks grade against that seed only. --seed chooses it;
by default it is the seed of the lab's starter. Give each candidate their own seed and note it:
their diagnosis.yaml or findings.yaml names it, and lab grade grades against it.

Grade what comes back with the full lab: lab grade <lab> <returned work folder>.

Options:
  --seed <n>          the handout's seed, for a lab with a per-seed handout (06, 07)
  --out <file>        where to write the archive (default: integration-lab-<lab>.tgz here)
${LABS_DIR_HELP}

Exit codes: 0 written, 2 usage error (unknown lab, a lab not ready to pack, --seed for a lab
with one handout), 3 a lab file that does not load or an archive that could not be written.

Examples:
  lab pack 01 --out /tmp/take-home-01.tgz
  lab pack 06 --seed 4711 --out /tmp/take-home-06-ana.tgz
`,
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, { ...LABS_DIR_OPTION, out: { type: 'string' }, seed: { type: 'string' } });
    if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
    const lab = labFrom(labsDirFrom(values), positionals[0]);
    const seed = seedFrom(values.seed);
    const out = typeof values.out === 'string' ? values.out : `integration-lab-${lab.id}.tgz`;
    try {
      const pack = await packLab(lab, out, seed === undefined ? {} : { seed });
      process.stdout.write(
        `${pack.archive}: ${pack.files} files, ${(pack.bytes / 1024).toFixed(0)} KiB; unpacks to ${pack.folder}/\n` +
          (pack.seed === undefined ? '' : `work/ holds the handout of seed ${pack.seed}; the returned work names it, and lab grade ${lab.id} grades against it\n`) +
          `The candidate runs: tar -xzf ${out.split('/').pop()} && cd ${pack.folder} && npm install && npm run check\n`,
      );
      return EXIT_CODES.ok;
    } catch (error) {
      if (error instanceof PackError) throw new UsageError(error.message);
      throw error;
    }
  },
};
