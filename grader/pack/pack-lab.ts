import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Scenario } from '../checks/scenario.ts';
import { HIDDEN_DIR, PACKED_FILE, type Lab, type PackedLab } from '../labs/catalogue.ts';
import { loadScenario } from '../labs/load-scenario.ts';
import { PROJECT_ROOT } from '../runner/project-paths.ts';
import { bundlePackageJson, bundleReadme, briefNote } from './bundle-texts.ts';
import { hasPerSeedHandout, packHandout } from './lab-handout.ts';

export class PackError extends Error {}

/** What a candidate needs of the project to run a lab: the command, the grader, the services. */
const PROJECT_PARTS = ['bin', 'grader', 'mock-systems', 'tsconfig.json', 'vitest.config.ts', 'LICENSE'];
/** `lab new`'s template is a whole lab with a hidden check and mutants: a trainer's tool. */
const SCAFFOLD_TEMPLATE = join(PROJECT_ROOT, 'grader/scaffold/template');
/** Trainer-only pages stay out; the systems' pages stay in, the briefs link to them. */
const TRAINER_DOCS = ['authoring-labs.md'];
/** Never shipped from a lab folder: the hidden checks and datasets, and the authoring notes. */
const isTrainerOnly = (labDir: string, path: string) => {
  const inside = relative(labDir, path).split(sep);
  return inside[0] === HIDDEN_DIR || basename(path) === 'AUTHORING.md';
};

export interface Pack {
  archive: string;
  /** The folder the archive unpacks to. */
  folder: string;
  files: number;
  bytes: number;
  /** The seed whose handout work/ holds, for a lab whose handout differs per seed. */
  seed?: number;
}

export interface PackOptions {
  /** The seed of the handout to ship, for a lab with a per-seed handout (hidden/pack.ts). */
  seed?: number;
}

/**
 * A take-home bundle of one lab: the brief, the starter (as work/, the candidate's folder),
 * the services (`npm start`) and the public checks (`npm run check`), with the project's
 * layout so every import resolves as it does here. Nothing of hidden/, no solutions, no mutants.
 */
export async function packLab(lab: Lab, archive: string, options: PackOptions = {}): Promise<Pack> {
  const perSeed = hasPerSeedHandout(lab);
  if (options.seed !== undefined && !perSeed) {
    throw new PackError(`${lab.id} gives every candidate the same handout (its starter); --seed is for labs whose handout differs per seed (a ${HIDDEN_DIR}/pack.ts, e.g. 06 and 07)`);
  }
  await refuseInlineHiddenChecks(lab);
  // Loading it whole proves the lab sound before anything is written, and weighs what stays out.
  const hidden = (await loadScenario(lab)).checks.filter((check) => check.visibility === 'hidden');
  const packed: PackedLab = { hiddenChecks: hidden.length, hiddenPoints: hidden.reduce((sum, check) => sum + check.points, 0) };
  const folder = `integration-lab-${lab.id}`;
  const staging = mkdtempSync(join(tmpdir(), 'lab-pack-'));
  try {
    const root = join(staging, folder);
    mkdirSync(root);
    for (const part of PROJECT_PARTS) {
      cpSync(join(PROJECT_ROOT, part), join(root, part), { recursive: true, filter: (source) => !source.split(sep).includes('node_modules') && source !== SCAFFOLD_TEMPLATE });
    }
    const docs = join(PROJECT_ROOT, 'docs');
    cpSync(docs, join(root, 'docs'), { recursive: true, filter: (source) => !TRAINER_DOCS.includes(relative(docs, source)) });

    const labDir = join(root, 'labs', lab.id);
    cpSync(lab.dir, labDir, { recursive: true, filter: (source) => !isTrainerOnly(lab.dir, source) && !source.split(sep).includes('node_modules') });
    relinkImports(lab.dir, labDir, root);
    writeFileSync(join(labDir, PACKED_FILE), `${JSON.stringify(packed, null, 2)}\n`);
    cpSync(lab.starterDir, join(root, 'work'), { recursive: true, filter: (source) => !source.split(sep).includes('node_modules') });
    // A per-seed handout comes ready-made: the lab writes the chosen seed's into starter/ and work/.
    const handout = perSeed ? await packHandout(lab, { ...(options.seed === undefined ? {} : { seed: options.seed }), labDir, workDir: join(root, 'work') }) : undefined;
    writeFileSync(join(labDir, 'README.md'), briefNote(lab) + readFileSync(join(labDir, 'README.md'), 'utf8'));

    const project = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as ProjectPackage;
    const bundlePackage = bundlePackageJson(lab, project);
    // npm start shows the packed seed's world, under that seed's name.
    if (handout) bundlePackage.scripts.start += ` --seed ${handout.seed}`;
    writeFileSync(join(root, 'package.json'), `${JSON.stringify(bundlePackage, null, 2)}\n`);
    writeFileSync(join(root, 'README.md'), bundleReadme(lab));
    // The project's lock pins what the candidate installs to what was tested here, and spares
    // npm resolving every package again (npm prunes what the bundle does not depend on).
    cpSync(join(PROJECT_ROOT, 'package-lock.json'), join(root, 'package-lock.json'));

    mkdirSync(dirname(resolve(archive)), { recursive: true });
    // tar is on every Linux and macOS; it keeps modes, so the bundle's scripts stay runnable.
    const tar = spawnSync('tar', ['-czf', resolve(archive), '-C', staging, folder], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`tar could not write ${archive}: ${tar.stderr.trim() || tar.error?.message}`);
    return { archive: resolve(archive), folder, files: countFiles(root), bytes: statSync(resolve(archive)).size, ...(handout ? { seed: handout.seed } : {}) };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export interface ProjectPackage {
  version: string;
  engines?: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  workspaces?: string[];
  allowScripts?: Record<string, boolean>;
}

/** A hidden check in scenario.ts would ship; the lab must move it to hidden/checks.ts first. */
async function refuseInlineHiddenChecks(lab: Lab): Promise<void> {
  const scenario = ((await import(pathToFileURL(lab.scenarioPath).href)) as { default?: Scenario }).default;
  const inline = (scenario?.checks ?? []).filter((check) => check.visibility === 'hidden').map((check) => check.id);
  if (inline.length > 0) {
    throw new PackError(`${lab.id}: scenario.ts holds hidden checks (${inline.join(', ')}), which would ship in the bundle; move them to ${HIDDEN_DIR}/checks.ts (see docs/authoring-labs.md)`);
  }
}

const SPECIFIER = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\2/g;

/**
 * Every relative import in the shipped lab resolves in the bundle as it did here: one into the
 * project (the grader, the mock systems) is rewritten for the lab's place in the bundle, a
 * static one into hidden/ is refused (the bundle has no hidden/), one elsewhere is refused.
 */
function relinkImports(sourceLab: string, shippedLab: string, root: string): void {
  const problems: string[] = [];
  for (const file of walk(shippedLab).filter((path) => /\.(ts|mts|js|mjs)$/.test(path))) {
    const sourceFile = join(sourceLab, relative(shippedLab, file));
    const text = readFileSync(file, 'utf8');
    const rewritten = text.replace(SPECIFIER, (whole, keyword: string, quote: string, specifier: string) => {
      const target = resolve(dirname(sourceFile), specifier);
      if (isInside(sourceLab, target)) {
        if (relative(sourceLab, target).split(sep)[0] === HIDDEN_DIR && !keyword.includes('(')) {
          problems.push(`${relative(sourceLab, sourceFile)} imports ${specifier} statically; the bundle leaves ${HIDDEN_DIR}/ out, so import it with await import(...) where only lab grade needs it`);
        }
        return whole;
      }
      if (isInside(PROJECT_ROOT, target)) {
        const moved = relative(dirname(file), join(root, relative(PROJECT_ROOT, target))).split(sep).join('/');
        return `${keyword}${quote}${moved.startsWith('.') ? moved : `./${moved}`}${quote}`;
      }
      problems.push(`${relative(sourceLab, sourceFile)} imports ${specifier}, outside the lab and the project`);
      return whole;
    });
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
  if (problems.length > 0) throw new PackError(`cannot pack: ${problems.join('; ')}`);
}

function isInside(dir: string, path: string): boolean {
  const inside = relative(dir, path);
  return inside === '' || (!inside.startsWith('..') && !inside.startsWith(sep) && !/^[A-Za-z]:/.test(inside));
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function countFiles(dir: string): number {
  return existsSync(dir) ? walk(dir).length : 0;
}
