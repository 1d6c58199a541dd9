import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Each file or folder counts at least this much: a workspace of a million empty folders is full
 * too, and measuring a full workspace walks at most limit / ENTRY_BYTES entries.
 */
export const ENTRY_BYTES = 16 * 1024;

/**
 * Bytes under `dir` (files, and folders as the space they take), counted until `stopAbove` is
 * passed: a workspace filled with many entries costs no more to measure than it must.
 *
 * A folder moved deeper than the system's path limit (a rename needs only its two short paths)
 * can no longer be listed or measured by path: whatever it holds would go uncounted, so a tree
 * with such a path counts as past every limit (Infinity).
 */
export function bytesUnder(dir: string, stopAbove = Number.POSITIVE_INFINITY, skipped: ReadonlySet<string> = new Set()): number {
  let total = 0;
  const pending = [dir];
  while (pending.length > 0 && total <= stopAbove) {
    const current = pending.pop() as string;
    let names: string[];
    try {
      names = readdirSync(current);
    } catch (error) {
      if (tooLong(error)) return Number.POSITIVE_INFINITY;
      continue;
    }
    for (const name of names) {
      if (skipped.has(name)) continue;
      const path = join(current, name);
      try {
        const stat = lstatSync(path);
        if (stat.isDirectory()) pending.push(path);
        total += Math.max(stat.size, stat.blocks * 512, ENTRY_BYTES);
      } catch (error) {
        if (tooLong(error)) return Number.POSITIVE_INFINITY;
        // otherwise removed while we counted
      }
    }
  }
  return total;
}

function tooLong(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENAMETOOLONG';
}

/**
 * What a run has written to its workspace since this call, for a monitor to hold against the
 * lab's limit: the workspace's growth, plus bytes the run holds elsewhere (files it deleted but
 * keeps open), counted only as far as passing the limit needs.
 */
export function workspaceGrowth(root: string, limitBytes: number): (heldElsewhere?: number) => number {
  const baseline = bytesUnder(root);
  return (heldElsewhere = 0) => heldElsewhere + bytesUnder(root, baseline + limitBytes - heldElsewhere) - baseline;
}
