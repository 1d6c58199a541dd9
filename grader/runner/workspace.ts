import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { SandboxUser } from './sandbox-user.ts';
import { bytesUnder } from './workspace-size.ts';

/**
 * A private copy of a submission in a fresh temporary folder, which is all the submission
 * may read or write. It holds no link to anything outside: the packages a submission imports
 * are bundled into its entry when it is built.
 *
 *   <root>/submission   the copy
 *   <root>/home         HOME
 *   <root>/tmp          TMPDIR
 *
 * With an owner (the run's dedicated user), the whole tree is that user's and the root is
 * closed to everyone else.
 */
export interface Workspace {
  root: string;
  submissionDir: string;
  homeDir: string;
  tmpDir: string;
  dispose(): void;
}

/** Never copied: packages are bundled at build time, and git history is not part of a submission. */
const SKIPPED = new Set(['node_modules', '.git']);
/** A submission is source code: more than this (files count at least 16 KiB each) is not one. */
const MAX_SUBMISSION_BYTES = 64 * 1024 * 1024;

export function createWorkspace(sourceDir: string, owner?: SandboxUser, maxBytes = MAX_SUBMISSION_BYTES): Workspace {
  if (!existsSync(sourceDir) || !statSync(sourceDir).isDirectory()) {
    throw new SubmissionNotFoundError(sourceDir);
  }
  // Measured before anything is copied: a submission of millions of files or gigabytes is refused as it is.
  if (bytesUnder(sourceDir, maxBytes, SKIPPED) > maxBytes) throw new SubmissionTooLargeError(sourceDir, maxBytes);
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'lab-run-')));
  // Registered before anything is copied: a copy that fails half way is removed too.
  live.add(root);
  installExitHook();
  const dispose = () => {
    removeTree(root);
    live.delete(root);
  };
  const workspace: Workspace = { root, submissionDir: join(root, 'submission'), homeDir: join(root, 'home'), tmpDir: join(root, 'tmp'), dispose };
  try {
    fillWorkspace(sourceDir, workspace, owner);
  } catch (error) {
    dispose();
    throw error;
  }
  return workspace;
}

function fillWorkspace(sourceDir: string, { root, submissionDir, homeDir, tmpDir }: Workspace, owner: SandboxUser | undefined): void {
  cpSync(sourceDir, submissionDir, {
    recursive: true,
    // Only folders and regular files: a symbolic link could point at a solution, and a device
    // or a pipe is no part of a submission.
    filter: (source) => {
      if (SKIPPED.has(basename(source))) return false;
      const stat = lstatSync(source);
      return stat.isDirectory() || stat.isFile();
    },
  });
  mkdirSync(homeDir);
  mkdirSync(tmpDir);
  // Module resolution looks for the nearest package.json and would walk out of the copy,
  // where the sandbox forbids reading; one here stops the walk and makes .js files ESM.
  const packageJson = join(submissionDir, 'package.json');
  if (!existsSync(packageJson)) writeFileSync(packageJson, '{ "type": "module", "private": true }\n');
  if (owner) handOver(root, owner);
}

/** Copies still in use; removed when the grader exits, however it exits (Ctrl-C mid-grading). */
const live = new Set<string>();
let hooked = false;

function installExitHook(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const root of live) removeTree(root);
  });
}

/**
 * Removes the copy, also when a submission left paths longer than the system allows (which
 * Node's rmSync cannot reach); rm walks them relative to each folder.
 */
function removeTree(root: string): void {
  try {
    rmSync(root, { recursive: true, force: true });
  } catch {
    spawnSync('rm', ['-rf', '--one-file-system', root], { stdio: 'ignore' });
  }
}

/** Gives the tree to the run's user and closes the root to everyone else. */
function handOver(root: string, owner: SandboxUser): void {
  const pending = [root];
  while (pending.length > 0) {
    const path = pending.pop() as string;
    chownSync(path, owner.uid, owner.gid);
    if (!lstatSync(path).isDirectory()) continue;
    for (const name of readdirSync(path)) pending.push(join(path, name));
  }
  chmodSync(root, 0o700);
}

export class SubmissionTooLargeError extends Error {
  constructor(readonly dir: string, readonly maxBytes: number) {
    super(`submission folder too large: ${dir} holds more than ${maxBytes / 1024 / 1024} MiB (each file counts at least 16 KiB), or paths longer than the system allows; hand in the source, without build output or data`);
    this.name = 'SubmissionTooLargeError';
  }
}

export class SubmissionNotFoundError extends Error {
  constructor(readonly dir: string) {
    super(`submission folder not found: ${dir} (give the folder that holds your solution, e.g. the copy of the lab's starter/)`);
    this.name = 'SubmissionNotFoundError';
  }
}
