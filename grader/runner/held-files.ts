import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';

/**
 * Which deleted files count against a run's workspace limit: those on the workspace's file
 * system (not memory-backed files, nor another disk), and, with a dedicated user, only that
 * user's (a run's fresh uid owns nothing else).
 */
export interface HeldFilesScope {
  /** st_dev of the workspace. */
  dev: number;
  uid?: number;
}

/**
 * Bytes of files that the given processes hold open or mapped after they were deleted. Such a
 * file is in no folder, so walking the workspace cannot see it, yet it takes disk until the last
 * process holding it is gone: a run could otherwise hold the file-size limit times its open
 * files. Counted once per file (processes share descriptors across fork), each as the larger of
 * its size and the blocks it takes, as bytesUnder() counts a file.
 */
export function bytesHeldDeleted(pids: Iterable<number>, scope: HeldFilesScope): number {
  const seen = new Set<string>();
  let total = 0;
  const count = (key: string, bytes: number) => {
    if (seen.has(key)) return;
    seen.add(key);
    total += bytes;
  };
  const counts = (stat: Stats) => stat.isFile() && stat.nlink === 0 && stat.dev === scope.dev && (scope.uid === undefined || stat.uid === scope.uid);
  const bytesOf = (stat: Stats) => Math.max(stat.size, stat.blocks * 512);
  const { major, minor } = deviceNumbers(scope.dev);
  for (const pid of pids) {
    // Open descriptors: a stat through /proc/<pid>/fd/<n> reaches the file itself, deleted or not.
    for (const fd of list(`/proc/${pid}/fd`)) {
      const stat = statOrUndefined(`/proc/${pid}/fd/${fd}`);
      if (stat && counts(stat)) count(`${stat.dev}:${stat.ino}`, bytesOf(stat));
    }
    // Mappings outlive the descriptor they were made from (a process that is not Node can mmap).
    for (const line of read(`/proc/${pid}/maps`).split('\n')) {
      if (!line.endsWith(' (deleted)')) continue;
      const [range, , , device, inode] = line.split(/\s+/);
      const [start, end] = (range ?? '').split('-').map((hex) => parseInt(hex, 16));
      const [lineMajor, lineMinor] = (device ?? '').split(':').map((hex) => parseInt(hex, 16));
      if (lineMajor !== major || lineMinor !== minor || start === undefined || end === undefined) continue;
      // Only root may follow map_files; without it the mapped length is what can be counted.
      const stat = statOrUndefined(`/proc/${pid}/map_files/${range}`);
      if (stat) {
        if (counts(stat)) count(`${stat.dev}:${stat.ino}`, bytesOf(stat));
      } else {
        count(`${scope.dev}:${inode}`, end - start);
      }
    }
  }
  return total;
}

/** The run's processes when it has no cgroup: its process group (a process that left it is not found). */
export function processGroupMembers(leader: number): number[] {
  const members: number[] = [];
  for (const name of list('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
    const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    if (pgrp === leader) members.push(Number(name));
  }
  return members;
}

/** Linux's encoding of st_dev (as in /proc/<pid>/maps: major:minor in hex). */
function deviceNumbers(dev: number): { major: number; minor: number } {
  return { major: Math.floor(dev / 256) & 0xfff, minor: (dev & 0xff) | (Math.floor(dev / 4096) & 0xfff00) };
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
