import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Bytes in the files under `dir`, counted until `stopAbove` is passed (so a workspace filled
 * with many files costs no more to measure than it must).
 */
export function bytesUnder(dir: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let total = 0;
  const pending = [dir];
  while (pending.length > 0 && total <= stopAbove) {
    const current = pending.pop() as string;
    let names: string[];
    try {
      names = readdirSync(current);
    } catch {
      continue;
    }
    for (const name of names) {
      const path = join(current, name);
      try {
        const stat = lstatSync(path);
        if (stat.isDirectory()) pending.push(path);
        else total += Math.max(stat.size, stat.blocks * 512);
      } catch {
        // removed while we counted
      }
    }
  }
  return total;
}
