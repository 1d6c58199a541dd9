import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAB_FOLDER, solutionsDirFor } from '../labs/catalogue.ts';
import { PROJECT_ROOT } from '../runner/project-paths.ts';

/** The files `lab new` writes, kept as real files so they read (and diff) as the lab they become. */
const TEMPLATE_DIR = fileURLToPath(new URL('./template/', import.meta.url));

export class ScaffoldError extends Error {}

export interface ScaffoldOptions {
  labsDir: string;
  /** `NN-slug`, e.g. `99-example`: the folder name and the lab's id. */
  id: string;
  title?: string;
}

export interface Scaffold {
  labDir: string;
  solutionDir: string;
  /** Every file written, relative to the labs folder's parent. */
  files: string[];
}

/**
 * Writes the smallest lab that `lab validate` passes: lab.yaml, a brief, a starter with an
 * example unit test, a scenario with a public check, hidden/checks.ts with a hidden one, and
 * a reference with two mutants in solutions/<id>/. Refuses to overwrite anything.
 */
export function scaffoldLab(options: ScaffoldOptions): Scaffold {
  const { labsDir, id } = options;
  if (!LAB_FOLDER.test(id)) {
    throw new ScaffoldError(`lab id '${id}' must be two digits, a dash and a kebab-case slug, e.g. 99-example (the folder name is the id)`);
  }
  const labDir = join(labsDir, id);
  const solutionDir = join(solutionsDirFor(labsDir), id);
  const taken = readdirSafe(labsDir).find((name) => name.slice(0, 2) === id.slice(0, 2) && LAB_FOLDER.test(name));
  if (taken) throw new ScaffoldError(`the number ${id.slice(0, 2)} is taken by ${taken}; lab ids are found by their number, so choose another`);
  for (const dir of [labDir, solutionDir]) {
    if (existsSync(dir)) throw new ScaffoldError(`${dir} already exists; choose another id or remove it`);
  }
  const values = { __LAB_ID__: id, __TITLE__: options.title ?? titleOf(id) };
  const root = dirname(labsDir);
  const files = [
    ...writeTree(join(TEMPLATE_DIR, 'lab'), labDir, values),
    ...writeTree(join(TEMPLATE_DIR, 'solution'), solutionDir, values),
  ];
  return { labDir, solutionDir, files: files.map((file) => relative(root, file)) };
}

/** `99-order-export` → `Order export`. */
function titleOf(id: string): string {
  const words = id.slice(3).replaceAll('-', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function writeTree(from: string, to: string, values: Record<string, string>): string[] {
  const written: string[] = [];
  for (const name of readdirSync(from).sort()) {
    const source = join(from, name);
    if (statSync(source).isDirectory()) {
      written.push(...writeTree(source, join(to, name), values));
      continue;
    }
    const target = join(to, name.replace(/\.tmpl$/, ''));
    // Scenario files import the grader; the path is relative so the lab moves with the project.
    const grader = relative(dirname(target), join(PROJECT_ROOT, 'grader')).split(sep).join('/');
    let text = readFileSync(source, 'utf8').replaceAll('__GRADER__', grader.startsWith('.') ? grader : `./${grader}`);
    for (const [placeholder, value] of Object.entries(values)) text = text.replaceAll(placeholder, value);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text, { flag: 'wx' });
    written.push(target);
  }
  return written;
}

function readdirSafe(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
