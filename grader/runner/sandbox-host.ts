import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { prepareFirewall } from './run-firewall.ts';

/**
 * What this machine lets the grader use to confine a submission, probed once per process.
 * Each part is optional: a protection the machine cannot give is named in the report instead.
 */
export interface SandboxHost {
  /** The grader runs as root, so a submission can run as a user of its own. */
  root: boolean;
  /** Absolute paths of the util-linux tools, when present. */
  setpriv?: string;
  prlimit?: string;
  /** `unshare --mount` works (root with CAP_SYS_ADMIN): the run gets a mount namespace of its own. */
  unshare?: string;
  /** Writable cgroup v1 hierarchies under which each run gets its own group. */
  cgroups?: { memory: string; pids: string };
  /** nft, usable (root): each run's user is kept to its own services by a packet filter. */
  nft?: string;
}

let probed: SandboxHost | undefined;

export function sandboxHost(): SandboxHost {
  probed ??= probe();
  return probed;
}

const CGROUP_V1 = '/sys/fs/cgroup';
/** The parent of every run's cgroup, created once and left in place. */
export const CGROUP_PARENT = 'integration-lab';

function probe(): SandboxHost {
  if (process.platform !== 'linux') return { root: false };
  const root = process.getuid?.() === 0;
  const setpriv = tool('setpriv');
  const prlimit = tool('prlimit');
  const unshareTool = tool('unshare');
  const host: SandboxHost = { root, ...(setpriv ? { setpriv } : {}), ...(prlimit ? { prlimit } : {}) };
  if (!root) return host;
  if (unshareTool && spawnSync(unshareTool, ['--mount', '--propagation', 'private', 'true'], { stdio: 'ignore' }).status === 0) host.unshare = unshareTool;
  const memory = writableCgroup('memory');
  const pids = writableCgroup('pids');
  if (memory && pids) host.cgroups = { memory, pids };
  const nft = prepareFirewall(tool('nft'));
  if (nft) host.nft = nft;
  return host;
}

function tool(name: string): string | undefined {
  for (const dir of ['/usr/bin', '/bin', '/usr/sbin', '/sbin']) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

function writableCgroup(controller: 'memory' | 'pids'): string | undefined {
  const parent = join(CGROUP_V1, controller, CGROUP_PARENT);
  try {
    mkdirSync(parent, { recursive: true });
    accessSync(join(parent, 'cgroup.procs'), constants.W_OK);
    removeStaleGroups(parent);
    return parent;
  } catch {
    return undefined;
  }
}

/** Groups of graders that are gone (killed before they could remove them), once empty. */
function removeStaleGroups(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = /^run-(\d+)-\d+$/.exec(name)?.[1];
    if (pid === undefined || existsSync(`/proc/${pid}`)) continue;
    try {
      rmdirSync(join(parent, name));
    } catch {
      // still has tasks; a later grader tries again
    }
  }
}
