import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LabEntry } from '../labs/manifest.ts';

/** The file a submission must have for its entry to run: `src/main.ts`, `reconciliation.sql`… */
export function entryFileOf(entry: LabEntry): string | undefined {
  if (entry.kind === 'module') return entry.module;
  if (entry.kind === 'sql' || entry.kind === 'answers') return entry.file;
  // A command names its program last among its arguments, e.g. [node, --import, tsx, src/main.ts].
  return [...(entry.command ?? [])].reverse().find((arg) => !arg.startsWith('-') && /\.(ts|mts|cts|js|mjs|cjs|py|sh)$/.test(arg));
}

/** Why `dir` cannot be graded as a submission, or undefined when it can. */
export function submissionProblem(dir: string, entry: LabEntry): string | undefined {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return `${dir} is not a folder`;
  const file = entryFileOf(entry);
  if (file !== undefined && !existsSync(join(dir, file))) return `${dir} has no ${file}, the file this lab runs; is it the folder with the work in it?`;
  return undefined;
}
