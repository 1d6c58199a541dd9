import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { limitHit } from '../../runner/confinement.ts';
import { launchLocally, type Launcher, type LaunchRequest } from '../../runner/local-launcher.ts';
import { startLimitedProcess, type LimitedProcess } from '../../runner/limited-process.ts';
import { describeLimit } from '../../runner/limits.ts';
import { workspaceGrowth } from '../../runner/workspace-size.ts';
import { runLabels } from './runtime.ts';

export interface SubmissionContainerOptions {
  image: string;
  runId: string;
  /** The run's internal network: the container's only network. */
  networkName: string;
}

/** The unprivileged uid the container runs as when the grader is root (nobody). */
const CONTAINER_UID = 65534;

/**
 * Runs each submission process in a container of its own, on the run's internal network only
 * (it reaches the services by alias, nothing else): not root, read-only root filesystem, the
 * workspace bind-mounted at its own path (the only writable place, with a tmpfs /tmp), memory
 * with no swap, pids and one CPU from lab.yaml's limits, no capabilities, no-new-privileges.
 *
 * The `docker run` client is the process the grader watches (startLimitedProcess: time limit,
 * output caps, stdin); reaping it removes the container, after reading whether the kernel's OOM
 * killer ended it (memory-limit). A module entry needs the result channel on file descriptor 3,
 * which `docker run` does not carry, so those runs stay with the local launcher.
 */
export function submissionContainerLauncher(options: SubmissionContainerOptions): Launcher {
  return (request) => (request.resultChannel ? launchLocally(request) : launchInContainer(options, request));
}

function launchInContainer(options: SubmissionContainerOptions, request: LaunchRequest): LimitedProcess {
  const { workspace, limits } = request;
  const name = `integration-lab-${options.runId}-submission-${randomBytes(3).toString('hex')}`;
  const uid = process.getuid?.() === 0 ? CONTAINER_UID : (process.getuid?.() ?? CONTAINER_UID);
  if (process.getuid?.() === 0) chownTree(workspace.root, CONTAINER_UID);
  // Variables go through a file, not the command line, where any local user could read them.
  const envDir = mkdtempSync(join(tmpdir(), 'lab-submission-env-'));
  const envFile = join(envDir, 'env');
  writeFileSync(envFile, Object.entries(request.env).filter(([key]) => key !== 'PATH').map(([key, value]) => `${key}=${value.replace(/\n/g, ' ')}\n`).join(''), { mode: 0o600 });

  const memory = String(limits.memoryLimitBytes);
  const argv = [
    'docker', 'run', '--rm=false', '-i', '--name', name,
    ...Object.entries(runLabels(options.runId)).flatMap(([key, value]) => ['--label', `${key}=${value}`]),
    '--network', options.networkName,
    '--user', `${uid}:${uid}`,
    '--read-only', '--tmpfs', '/tmp:size=16m,mode=1777',
    '--memory', memory, '--memory-swap', memory,
    '--pids-limit', String(limits.processLimit),
    '--ulimit', `nofile=${limits.openFilesLimit}:${limits.openFilesLimit}`,
    // No file may outgrow the workspace limit; all of them together are measured below.
    '--ulimit', `fsize=${limits.workspaceLimitBytes}:${limits.workspaceLimitBytes}`,
    '--cpus', '1',
    '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges',
    '-v', `${workspace.root}:${workspace.root}`,
    '-w', request.cwd,
    '--env-file', envFile,
    options.image,
    // The grader's own node is this machine's; in the image, node is on PATH.
    ...request.argv.map((part, index) => (index === 0 && part === process.execPath ? 'node' : part)),
  ];

  let oomKilled = false;
  let reaped = false;
  const reap = () => {
    if (reaped) return;
    reaped = true;
    // First of all: the container ends when the process the grader watches does, as a process
    // run on this machine would (a SIGKILL to the `docker run` client does not reach it).
    try {
      execFileSync('docker', ['kill', '--signal', 'KILL', name], { stdio: 'ignore' });
    } catch {
      // already ended, or never created
    }
    try {
      oomKilled = execFileSync('docker', ['inspect', '-f', '{{.State.OOMKilled}}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() === 'true';
    } catch {
      // never created (the client failed first): nothing to read
    }
    try {
      execFileSync('docker', ['rm', '-f', '-v', name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  };

  // The workspace is a folder of this machine mounted into the container: what the run writes
  // there is measured as for a run on this machine, or it would fill this machine's disk for as
  // long as its time limit allows.
  const written = workspaceGrowth(workspace.root, limits.workspaceLimitBytes);
  const started = startLimitedProcess({
    argv,
    cwd: workspace.root,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}) },
    timeLimitMs: request.timeLimitMs,
    outputLimitBytes: request.outputLimitBytes,
    ...(request.stdin !== undefined ? { stdin: request.stdin } : {}),
    monitor: {
      intervalMs: 250,
      check: () => (written() > limits.workspaceLimitBytes ? 'disk-limit' : undefined),
    },
    reap,
  });
  const result = started.result.then((ended) => {
    reap();
    rmSync(envDir, { recursive: true, force: true });
    if (oomKilled && (ended.status === 'crash' || ended.status === 'ok')) {
      return { ...ended, status: 'memory-limit' as const, limitReason: describeLimit('memory-limit', limits) };
    }
    const limit = limitHit(ended, undefined);
    return limit ? { ...ended, status: limit, limitReason: describeLimit(limit, limits) } : ended;
  });
  return {
    pid: started.pid,
    result,
    async stop() {
      await started.stop();
      return result;
    },
  };
}

/**
 * Gives the workspace to the container's uid: it must write there and nowhere else. chown walks
 * the tree relative to each folder, so paths an earlier run of the submission left past the
 * system's path limit are no error; -h changes a link itself, never what it points at.
 */
function chownTree(path: string, uid: number): void {
  const changed = spawnSync('chown', ['-R', '-h', `${uid}:${uid}`, '--', path], { encoding: 'utf8' });
  if (changed.status !== 0) throw new Error(`could not give the workspace to the container's user: ${changed.error?.message ?? changed.stderr.trim()}`);
}
