import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { HIDDEN_DIR, type Lab } from '../labs/catalogue.ts';
import { LabFileError } from '../labs/lab-file-error.ts';

/**
 * A lab whose handout differs per seed (lab 06's night of logs, lab 07's contract) writes it
 * with a generator that knows the answers, so the generator stays in hidden/ and `lab pack`
 * asks the lab to write one seed's handout into the bundle: `hidden/pack.ts` exports
 * `packHandout`, called with the bundle's lab folder and work/ once both are copied.
 */
export const PACK_HOOK = 'pack.ts';

export interface PackHandoutContext {
  /** The seed the trainer chose (`lab pack --seed`); absent, the lab's starter's own. */
  seed?: number;
  /** The lab's folder in the bundle being written (hidden/ already left out). */
  labDir: string;
  /** The candidate's folder in the bundle: a copy of the starter, to hold the seed's handout. */
  workDir: string;
}

export interface PackedHandout {
  seed: number;
  /** The files written into work/, relative to it. */
  files: string[];
}

export type PackHandout = (context: PackHandoutContext) => Promise<PackedHandout>;

export function packHookPath(lab: Lab): string {
  return join(lab.dir, HIDDEN_DIR, PACK_HOOK);
}

export function hasPerSeedHandout(lab: Lab): boolean {
  return existsSync(packHookPath(lab));
}

/** Runs the lab's hook into a bundle being written; undefined for a lab whose handout is its starter. */
export async function packHandout(lab: Lab, context: PackHandoutContext): Promise<PackedHandout | undefined> {
  const path = packHookPath(lab);
  if (!existsSync(path)) return undefined;
  const shown = relative(process.cwd(), path) || path;
  let hook: unknown;
  try {
    hook = ((await import(pathToFileURL(path).href)) as { packHandout?: unknown }).packHandout;
  } catch (error) {
    throw new LabFileError(shown, [`could not be loaded: ${error instanceof Error ? error.message : String(error)}`]);
  }
  if (typeof hook !== 'function') throw new LabFileError(shown, ['must export packHandout({ seed, labDir, workDir }), which writes one seed\'s handout into the bundle']);
  return (hook as PackHandout)(context);
}

/**
 * The command line of a lab's handout writer, the same for every lab that has one:
 * `handout.ts [--seed <n>] [--force] <folder>`. `write` writes the seed's handout into the
 * folder and says what it wrote; the exit code is 0, 1 (it could not) or 2 (a usage error).
 */
export async function runHandoutCommand(argv: string[], help: string, write: (folder: string, seed: number, force: boolean) => string | Promise<string>): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { seed: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${help}`);
    return 2;
  }
  if (parsed.values.help) return (process.stdout.write(help), 0);
  const seed = parsed.values.seed === undefined ? 1 : Number(parsed.values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) return (process.stderr.write(`--seed must be a whole number of 0 or more (got ${parsed.values.seed})\n`), 2);
  const [folder, extra] = parsed.positionals;
  if (folder === undefined || extra !== undefined) return (process.stderr.write(`give exactly one folder to write into\n\n${help}`), 2);
  try {
    process.stdout.write(`${await write(folder, seed, parsed.values.force === true)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
}
