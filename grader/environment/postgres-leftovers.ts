import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The servers that processes killed outright (SIGKILL, a crash) left behind. PostgreSQL runs
 * detached from the process that started it, so nothing stops it when that process dies without
 * running its shutdown: the server keeps its port and its folder, and the next `lab start`
 * cannot take the port. Each server's folder names the process that owns it; a later start
 * stops and removes the servers whose owner is gone (a folder kept with `--keep-data` keeps its
 * data).
 */

export const FOLDER_PREFIX = 'integration-lab-pg-';
const OWNER_FILE = 'owner.json';

interface Owner {
  pid: number;
  keepData: boolean;
}

/** Marks `folder` as this process's server. */
export async function claimServerFolder(folder: string, keepData: boolean): Promise<void> {
  await writeFile(join(folder, OWNER_FILE), JSON.stringify({ pid: process.pid, keepData } satisfies Owner));
}

/** A server that stopped in order and keeps its data is nobody's leftover. */
export async function releaseServerFolder(folder: string): Promise<void> {
  await rm(join(folder, OWNER_FILE), { force: true });
}

/** Stops (with `stopServer`, given the data directory) and removes every server whose owner process has ended. */
export async function removeOrphanedServers(stopServer: (dataDir: string) => Promise<unknown>): Promise<void> {
  for (const name of await readdir(tmpdir()).catch(() => [] as string[])) {
    if (!name.startsWith(FOLDER_PREFIX)) continue;
    const folder = join(tmpdir(), name);
    const owner = await readOwner(folder);
    if (!owner || isRunning(owner.pid)) continue;
    await stopServer(join(folder, 'data')).catch(() => undefined);
    if (owner.keepData) await releaseServerFolder(folder);
    else await rm(folder, { recursive: true, force: true });
  }
}

async function readOwner(folder: string): Promise<Owner | undefined> {
  try {
    const owner = JSON.parse(await readFile(join(folder, OWNER_FILE), 'utf8')) as Partial<Owner>;
    return Number.isInteger(owner.pid) && (owner.pid ?? 0) > 0 ? { pid: owner.pid!, keepData: owner.keepData === true } : undefined;
  } catch {
    // No owner yet (a start in progress), or a folder that is not ours to judge.
    return undefined;
  }
}

/** Only "no such process" means gone: a process of another user answers EPERM. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
