import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './helpers.ts';

/** Gradescope's layout under `root`: the autograder zip unpacked in source/, the upload in submission/. */
export function autograderLayout(root: string, zip: string, submissionDir: string): { root: string; results: string } {
  mkdirSync(join(root, 'source'), { recursive: true });
  const unzip = spawnSync('unzip', ['-q', zip, '-d', join(root, 'source')], { encoding: 'utf8' });
  if (unzip.status !== 0) throw new Error(`unzip failed (apt-get install unzip): ${unzip.stderr}`);
  installPackages(join(root, 'source'));
  cpSync(submissionDir, join(root, 'submission'), { recursive: true });
  return { root, results: join(root, 'results/results.json') };
}

/**
 * What setup.sh's npm ci leaves in source/node_modules, without a download: links to the
 * project's installed packages (absolute, so a container that mounts REPO/node_modules at the
 * same path follows them), and the workspace link to the bundle's own generated clients
 * (relative, as npm makes it).
 */
function installPackages(source: string): void {
  const modules = join(source, 'node_modules');
  mkdirSync(join(modules, '@integration-lab'), { recursive: true });
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (entry !== '@integration-lab') symlinkSync(join(REPO, 'node_modules', entry), join(modules, entry));
  }
  symlinkSync('../../mock-systems/clients', join(modules, '@integration-lab/clients'));
}

/** A copy of `from` in `dir`, with src/main.ts replaced when `main` is given. */
export function submissionCopy(dir: string, from: string, main?: string): string {
  cpSync(from, dir, { recursive: true });
  if (main !== undefined) writeFileSync(join(dir, 'src/main.ts'), main);
  return dir;
}

export function readResults<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
