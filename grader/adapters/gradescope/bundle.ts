import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import type { Lab } from '../../labs/catalogue.ts';
import { PROJECT_ROOT } from '../../runner/project-paths.ts';

/** What the grader needs at run time, from the project root; node_modules comes from setup.sh's npm ci. */
const PROJECT_PARTS = ['bin', 'grader', 'mock-systems', 'package.json', 'package-lock.json', 'tsconfig.json', 'LICENSE'];
const NEVER = new Set(['node_modules', '.git']);
const SCRIPTS = join(PROJECT_ROOT, 'grader/adapters/gradescope');

/** Unix permissions in the zip's external attributes, so Gradescope can execute the two scripts. */
const FILE = { os: 3, attrs: (0o100644 << 16) >>> 0 };
const EXECUTABLE = { os: 3, attrs: (0o100755 << 16) >>> 0 };
/** A fixed time stamp: the same lab gives the same zip, byte for byte. */
const MTIME = new Date('2020-01-01T00:00:00Z');

/**
 * A Gradescope autograder zip for one lab: setup.sh and run_autograder at the root (as
 * Gradescope requires), the grader and the mock systems, and the lab with its hidden checks.
 * Solutions, tests and other labs stay out.
 */
export function gradescopeBundle(lab: Lab): Uint8Array {
  const files: Zippable = {
    'setup.sh': [readFileSync(join(SCRIPTS, 'setup.sh')), { ...EXECUTABLE, mtime: MTIME }],
    run_autograder: [Buffer.from(readFileSync(join(SCRIPTS, 'run_autograder'), 'utf8').replace('@LAB_ID@', lab.id)), { ...EXECUTABLE, mtime: MTIME }],
  };
  for (const part of PROJECT_PARTS) addTree(files, join(PROJECT_ROOT, part), part);
  addTree(files, lab.dir, `labs/${basename(lab.dir)}`);
  return zipSync(files, { level: 9 });
}

function addTree(files: Zippable, path: string, name: string): void {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return;
  if (stats.isDirectory()) {
    for (const entry of readdirSync(path).sort()) if (!NEVER.has(entry)) addTree(files, join(path, entry), `${name}/${entry}`);
    return;
  }
  if (!stats.isFile()) return;
  // The scripts the bundle runs keep their execute bit; everything else is plain data.
  const options = stats.mode & 0o111 ? EXECUTABLE : FILE;
  files[name] = [readFileSync(path), { ...options, mtime: MTIME }];
}

