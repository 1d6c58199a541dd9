import { readdirSync, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { bytesHeldDeleted, processGroupMembers } from './held-files.ts';
import type { LimitedProcessOptions } from './limited-process.ts';
import { describeLimit, type SubmissionLimits } from './limits.ts';
import type { LimitStatus, ProcessResult } from './process-result.ts';
import { PROJECT_ROOT, projectNodeModules } from './project-paths.ts';
import { createRunCgroup, type RunCgroup } from './run-cgroup.ts';
import { sandboxHost, type SandboxHost } from './sandbox-host.ts';
import type { SandboxUser } from './sandbox-user.ts';
import { workspaceGrowth } from './workspace-size.ts';
import type { Workspace } from './workspace.ts';

/** Which protections a run had, for the report: the same words on every machine. */
export interface SandboxReport {
  protections: string[];
  /** What this machine could not give, and why; untrusted code belongs on the docker provider then. */
  missing: string[];
}

/** The confinement of one process run: its wrapped command line and how to read its end. */
export interface ConfinedProcess {
  options: LimitedProcessOptions;
  /** Names the limit a run hit, when it crashed because of one. */
  classify(result: ProcessResult): ProcessResult;
  dispose(): Promise<void>;
}

/** Folders a submission never sees: covered by an empty read-only folder in its mount namespace. */
function hiddenFolders(): string[] {
  return [...new Set([PROJECT_ROOT, projectNodeModules(), '/home', '/root', '/var/tmp', '/dev/shm', ...worldWritableFolders()])];
}

let worldWritable: string[] | undefined;

/**
 * Folders every user may write to (/run/lock, /dev/mqueue, …), two levels deep: a run could leave
 * files there, or Unix sockets that outlive it (Node's permission model does not check the path
 * a socket is bound to). The temporary folder is among them; the workspace is bound back into it.
 */
function worldWritableFolders(): string[] {
  worldWritable ??= ['/', '/run', '/var', '/dev', '/var/lib', '/var/spool'].flatMap((parent) => {
    try {
      return readdirSync(parent, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !['proc', 'sys'].includes(entry.name))
        .map((entry) => join(parent, entry.name))
        .filter((path) => (statSync(path).mode & 0o002) !== 0);
    } catch {
      return [];
    }
  });
  return worldWritable;
}

/**
 * Runs as root at the start of the process, then becomes the submission:
 * joins the run's cgroups, hides the project and every other run's files behind empty mounts
 * (the workspace is bound back in place), and execs the rest of the command line.
 */
const ENTER_SANDBOX = `set -e
n=$1; shift
while [ "$n" -gt 0 ]; do echo $$ > "$1"; shift; n=$((n - 1)); done
n=$1; shift
while [ "$n" -gt 0 ]; do if [ -d "$1" ]; then mount -t tmpfs -o ro,nosuid,nodev,size=4k,mode=755 lab-hidden "$1"; fi; shift; n=$((n - 1)); done
if [ "$1" != - ]; then
  cd "$1"
  mount -t tmpfs -o nosuid,nodev,size=64k,mode=755 lab-hidden "$2"
  mkdir -p "$1"
  mount --no-canonicalize --bind . "$1"
fi
cd "$3"
shift 3
unset OLDPWD PWD
exec "$@"`;

/** The protections this machine gives a run (with or without a dedicated user). */
export function sandboxReport(user: SandboxUser | undefined, nodeSandbox: boolean, host: SandboxHost = sandboxHost()): SandboxReport {
  const protections = ['process group', 'time limit', 'output limit', 'workspace size limit'];
  const missing: string[] = [];
  if (nodeSandbox) protections.push('Node permission model (reads and writes only its workspace)', 'V8 heap limit');
  if (user) protections.push(`dedicated user ${user.uid}`);
  else missing.push(host.root ? 'a dedicated user (setpriv or the Node binary is not usable by other users)' : 'a dedicated user (the grader is not root)');
  // Both are entered by the wrapper that setpriv ends, so they come only with it.
  const wrapped = user !== undefined && host.setpriv !== undefined;
  if (wrapped && host.unshare) protections.push('mount namespace hiding the project and other runs');
  else missing.push('a mount namespace hiding the project (needs root with mount rights, and setpriv)');
  if (wrapped && host.cgroups) protections.push('memory and process cgroups');
  else missing.push('memory and process cgroups (needs root, setpriv and writable cgroup v1)');
  if (user && host.nft) protections.push("packet filter: its user reaches the run's own services and nothing else");
  else missing.push("a packet filter keeping the run to its own services (needs root and nftables)");
  if (host.prlimit) protections.push('rlimits (open files, file size' + (user ? ', processes' : '') + (user && host.cgroups ? '' : ', address space') + ')');
  else missing.push('rlimits (prlimit not found)');
  return { protections, missing };
}

/** Whether an unprivileged user can exec this binary (not so for a Node installed under /root). */
export function usableByOthers(path: string): boolean {
  try {
    let current = realpathSync(path);
    if ((statSync(current).mode & 0o001) === 0) return false;
    while (current !== dirname(current)) {
      current = dirname(current);
      if ((statSync(current).mode & 0o001) === 0) return false;
    }
    return true;
  } catch {
    return false;
  }
}

export interface ConfineOptions {
  argv: string[];
  workspace: Workspace;
  user: SandboxUser | undefined;
  limits: SubmissionLimits;
  base: Omit<LimitedProcessOptions, 'argv' | 'monitor' | 'reap'>;
}

/** Wraps one process run in every protection this machine gives. */
export function confineProcess(options: ConfineOptions, host: SandboxHost = sandboxHost()): ConfinedProcess {
  const { workspace, user, limits } = options;
  const cgroup: RunCgroup | undefined = user && host.setpriv && host.cgroups ? createRunCgroup(host.cgroups, limits) : undefined;
  const rlimits = host.prlimit
    ? [
        host.prlimit,
        `--nofile=${limits.openFilesLimit}:${limits.openFilesLimit}`,
        `--fsize=${limits.workspaceLimitBytes}:${limits.workspaceLimitBytes}`,
        '--core=0:0',
        ...(user ? [`--nproc=${limits.processLimit}:${limits.processLimit}`] : []),
        // Without a memory cgroup, address space is the cap the kernel can keep; V8 needs room beyond its heap.
        ...(cgroup ? [] : [`--as=${limits.memoryLimitBytes + 1024 ** 3}:${limits.memoryLimitBytes + 1024 ** 3}`]),
        '--',
      ]
    : [];

  let argv = [...rlimits, ...options.argv];
  if (user && host.setpriv) {
    const dropped = [host.setpriv, `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--no-new-privs', '--inh-caps=-all', '--bounding-set=-all', '--', ...argv];
    // Never the folder the workspace or the Node binary (nvm under /home) lives in.
    const node = realpathSync(process.execPath);
    const hide = host.unshare ? hiddenFolders().filter((folder) => !contains(folder, workspace.root) && !contains(folder, node)) : [];
    const parent = realpathSync(dirname(workspace.root));
    const rebind = host.unshare && !hide.some((folder) => contains(folder, parent)) && parent === realpathSync(tmpdir()) ? [workspace.root, parent] : ['-', '-'];
    const procs = cgroup?.procsFiles ?? [];
    argv = [
      ...(host.unshare ? [host.unshare, '--mount', '--propagation', 'private', '--'] : []),
      '/bin/sh', '-c', ENTER_SANDBOX, 'lab-sandbox',
      String(procs.length), ...procs,
      String(hide.length), ...hide,
      ...rebind, options.base.cwd,
      ...dropped,
    ];
  }

  const growth = workspaceGrowth(workspace.root, limits.workspaceLimitBytes);
  const scope = { dev: statSync(workspace.root).dev, ...(user ? { uid: user.uid } : {}) };
  // What the run writes: what is in its folders, and files its processes hold open or mapped
  // after deleting them (in no folder, yet on the disk until the run lets go of them).
  const written = (leader: number) => {
    const pids = cgroup ? [...new Set([leader, ...cgroup.pids()])] : processGroupMembers(leader);
    return growth(bytesHeldDeleted(pids, scope));
  };
  // Only this process's own tree: the same submission may have another process running (a consumer).
  const reap = cgroup ? () => cgroup.killAll() : undefined;
  return {
    options: {
      ...options.base,
      argv,
      ...(user && !host.setpriv ? { user } : {}),
      monitor: {
        intervalMs: 250,
        check: (leader) => (written(leader) > limits.workspaceLimitBytes ? 'disk-limit' : undefined),
      },
      ...(reap ? { reap } : {}),
    },
    classify(result) {
      const status = limitHit(result, cgroup);
      if (!status) return result;
      return { ...result, status, limitReason: describeLimit(status, limits) };
    },
    async dispose() {
      reap?.();
      await cgroup?.remove();
    },
  };
}

const MEMORY_MESSAGES = /JavaScript heap out of memory|Reached heap limit|Array buffer allocation failed|std::bad_alloc|ERR_MEMORY_ALLOCATION_FAILED|Cannot allocate memory/;
const OPEN_FILES_MESSAGES = /EMFILE|too many open files/i;
const PROCESS_MESSAGES = /uv_thread_create|Resource temporarily unavailable|EAGAIN.*(fork|thread|spawn)/;
const FILE_SIZE_MESSAGES = /EFBIG|File too large/;

/**
 * Which limit ended a run, from how it ended: what the monitor saw, the kernel's signal, or what
 * the runtime printed as it failed. Also for runs in a container (grader/environment/docker/submission.ts).
 */
export function limitHit(result: ProcessResult, cgroup: RunCgroup | undefined): LimitStatus | undefined {
  if (result.status === 'disk-limit') return 'disk-limit';
  if (result.status !== 'crash') return undefined;
  if (cgroup?.memoryExceeded() || MEMORY_MESSAGES.test(result.stderr)) return 'memory-limit';
  if (result.signal === 'SIGXFSZ' || FILE_SIZE_MESSAGES.test(result.stderr)) return 'disk-limit';
  if (OPEN_FILES_MESSAGES.test(result.stderr)) return 'open-files-limit';
  if (cgroup?.processLimitHit() || PROCESS_MESSAGES.test(result.stderr)) return 'process-limit';
  return undefined;
}

function contains(folder: string, path: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}
