import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { projectNodeModules } from './project-paths.ts';

/**
 * A private copy of a submission in a fresh temporary folder, which is all the submission
 * may read (besides the project's packages) or write:
 *
 *   <root>/submission   the copy; node_modules links to the project's packages
 *   <root>/home         HOME
 *   <root>/tmp          TMPDIR
 */
export interface Workspace {
  root: string;
  submissionDir: string;
  homeDir: string;
  tmpDir: string;
  dispose(): void;
}

/** Never copied: packages come from the project, and git history is not part of a submission. */
const SKIPPED = new Set(['node_modules', '.git']);

export function createWorkspace(sourceDir: string): Workspace {
  if (!existsSync(sourceDir) || !statSync(sourceDir).isDirectory()) {
    throw new SubmissionNotFoundError(sourceDir);
  }
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'lab-run-')));
  const submissionDir = join(root, 'submission');
  const homeDir = join(root, 'home');
  const tmpDir = join(root, 'tmp');
  cpSync(sourceDir, submissionDir, {
    recursive: true,
    // Symbolic links are dropped: one pointing at a solution would hand it to the submission.
    filter: (source) => !SKIPPED.has(basename(source)) && !lstatSync(source).isSymbolicLink(),
  });
  mkdirSync(homeDir);
  mkdirSync(tmpDir);
  symlinkSync(projectNodeModules(), join(submissionDir, 'node_modules'), 'dir');
  // Module resolution looks for the nearest package.json and would walk out of the copy,
  // where the sandbox forbids reading; one here stops the walk and makes .js files ESM.
  const packageJson = join(submissionDir, 'package.json');
  if (!existsSync(packageJson)) writeFileSync(packageJson, '{ "type": "module", "private": true }\n');
  return {
    root,
    submissionDir,
    homeDir,
    tmpDir,
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

export class SubmissionNotFoundError extends Error {
  constructor(readonly dir: string) {
    super(`submission folder not found: ${dir} (give the folder that holds your solution, e.g. the copy of the lab's starter/)`);
    this.name = 'SubmissionNotFoundError';
  }
}
