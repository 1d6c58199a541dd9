import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { serviceAddresses, type SubmissionEnvironment } from '../environment/variables.ts';
import type { LabEntry } from '../labs/manifest.ts';
import { buildEntryOnce } from './build-cache.ts';
import type { BuildOutcome } from './build-entry.ts';
import { sandboxReport, usableByOthers, type SandboxReport } from './confinement.ts';
import type { LimitedProcess } from './limited-process.ts';
import type { SubmissionLimits } from './limits.ts';
import { launchLocally, type Launcher } from './local-launcher.ts';
import { HARNESS_FILE, harnessSource, parseHarnessOutput, type CallResult } from './module-harness.ts';
import { parseNodeCommand } from './node-command.ts';
import { sandboxFlags } from './node-sandbox.ts';
import type { LimitStatus, ProcessResult, ProcessStatus } from './process-result.ts';
import { sandboxHost } from './sandbox-host.ts';
import { openRunFirewall } from './run-firewall.ts';
import { allocateSandboxUser, releaseSandboxUser, type SandboxUser } from './sandbox-user.ts';
import { parseSqlFile, SqlFileError } from './sql-file.ts';
import { runSqlQueries, type QueryResult } from './sql-runner.ts';
import { createWorkspace, type Workspace } from './workspace.ts';

export type { SubmissionLimits } from './limits.ts';

export interface RunOptions {
  args?: string[];
  stdin?: string;
  /** Overrides the lab's time limit for this run (a consumer the scenario stops itself). */
  timeLimitMs?: number;
}

/**
 * A trainee's submission, ready to run. Scenarios' `drive` uses it; every process it starts
 * is recorded, and the record becomes the SubmissionRun checks read.
 */
export interface Submission {
  entry: LabEntry;
  /** command: run to the end (or the time limit). */
  run(options?: RunOptions): Promise<ProcessResult>;
  /** command: start a long-running process (a consumer); stop it with `stop()`. */
  start(options?: RunOptions): Promise<LimitedProcess>;
  /** module: call the export once per argument list, in one sandboxed process. */
  call(calls: unknown[][]): Promise<CallResult[]>;
  /** sql: run the named queries as a read-only role. */
  queries(): Promise<QueryResult[]>;
  /**
   * answers: the parsed answers file (YAML or JSON); or another file of the submission, for a
   * lab whose answer is several files (a review and the document it corrects).
   */
  answers(file?: string): Promise<unknown>;
}

export type RunStatus = 'ok' | 'crash' | 'timeout' | 'build-error' | 'not-run' | LimitStatus;

/** Everything the submission did, as checks read it. */
export interface SubmissionRun {
  /** The worst thing that happened: build-error, then timeout, then crash. */
  status: RunStatus;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  crashed: boolean;
  buildError?: string;
  /** For a *-limit status: which limit the run hit, with the lab.yaml field that sets it. */
  limitReason?: string;
  /** The protections the run had on this machine, and those it could not have. */
  sandbox: SandboxReport;
  /** stdout and stderr of every process, in order, each capped at the lab's output limit. */
  stdout: string;
  stderr: string;
  outputTruncated: boolean;
  durationMs: number;
  runs: ProcessResult[];
  /** What the scenario's drive returned (call results, query results, answers…). */
  outputs: unknown;
}

export interface PreparedSubmission {
  submission: Submission;
  workspace: Workspace;
  /** The record so far; call after drive with its outputs. */
  summarize(outputs: unknown): SubmissionRun;
  /** Stops what is still running and deletes the copy. */
  dispose(): Promise<void>;
}

export interface PrepareOptions {
  entry: LabEntry;
  sourceDir: string;
  variables: SubmissionEnvironment;
  limits: SubmissionLimits;
  /** Superuser URL for `sql` entries. */
  databaseUrl?: string;
  /** Starts each process; the default confines it on this machine (the docker provider runs it in a container). */
  launch?: Launcher;
}

/** What a provider's container gives a submission (docs/docker.md). */
const CONTAINER_SANDBOX: SandboxReport = {
  protections: ["a container of its own on the run's network: not root, read-only root, no capabilities, memory, processes, open files and workspace size from lab.yaml"],
  missing: [],
};

/** What the grader does in place of running anything, for entries it reads itself. */
const READ_BY_THE_GRADER: Record<'sql' | 'answers', SandboxReport> = {
  sql: {
    protections: [
      'nothing of the submission runs on this machine: the grader sends each query',
      'a throw-away read-only database role without superuser, file or program rights',
      'one time limit for the whole file',
      'results read through a cursor and capped',
      'the file read by the grader, 256 KiB at most',
    ],
    missing: [],
  },
  answers: { protections: ['nothing of the submission runs: the grader reads its files, 256 KiB each at most'], missing: [] },
};

/**
 * The run's own user, when the grader is root: it owns only the workspace, so the submission
 * can neither signal the grader nor read what is closed to other users. Only entries that start
 * processes need one: the grader itself reads SQL and answers files.
 */
function sandboxUser(entry: LabEntry): SandboxUser | undefined {
  if (entry.kind !== 'command' && entry.kind !== 'module') return undefined;
  return sandboxHost().root && usableByOthers(process.execPath) ? allocateSandboxUser() : undefined;
}

export function prepareSubmission(options: PrepareOptions): PreparedSubmission {
  // Also with another launcher: one may hand some processes back to this machine (docker does, for module entries).
  const user = sandboxUser(options.entry);
  const launch = options.launch ?? launchLocally;
  const workspace = createWorkspace(options.sourceDir, user);
  const nft = user && sandboxHost().nft;
  const firewall = user && nft ? openRunFirewall(nft, user, serviceAddresses(options.variables)) : undefined;
  const nodeEntry = options.entry.kind === 'module' || (options.entry.kind === 'command' && parseNodeCommand(options.entry.command ?? []) !== undefined);
  const kind = options.entry.kind;
  const sandbox = kind === 'sql' || kind === 'answers' ? READ_BY_THE_GRADER[kind] : options.launch && kind !== 'module' ? CONTAINER_SANDBOX : sandboxReport(user, nodeEntry);
  const runs: ProcessResult[] = [];
  const live = new Set<LimitedProcess>();
  let build: Promise<BuildOutcome> | undefined;
  const { entry, limits } = options;

  const environment: Record<string, string> = {
    ...definedOnly(options.variables),
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: workspace.homeDir,
    TMPDIR: workspace.tmpDir,
  };

  /** Keeps paths of the temporary copy out of what trainees read. */
  const clean = (text: string) => text.replaceAll(`${workspace.submissionDir}/`, '').replaceAll(workspace.root, '<workspace>');

  const record = (result: ProcessResult): ProcessResult => {
    const cleaned = { ...result, stdout: clean(result.stdout), stderr: clean(result.stderr) };
    runs.push(cleaned);
    return cleaned;
  };

  const buildError = (message: string): ProcessResult =>
    record({ status: 'build-error', exitCode: null, signal: null, stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false, durationMs: 0, buildError: message });

  /** The argv to start, or a build error. Node entries are compiled once and run sandboxed. */
  const commandLine = async (args: string[]): Promise<string[] | ProcessResult> => {
    const argv = entry.command ?? [];
    const node = parseNodeCommand(argv);
    if (!node) return [...argv, ...args];
    build ??= buildEntryOnce(workspace.submissionDir, node.script);
    const built = await build;
    if (!built.ok) return buildError(built.message);
    return [process.execPath, ...sandboxFlags(workspace, limits), '--enable-source-maps', ...node.nodeOptions, built.bundle, ...node.args, ...args];
  };

  const startProcess = (argv: string[], runOptions: RunOptions & { resultChannel?: boolean }) => {
    const started = launch({
      argv,
      cwd: workspace.submissionDir,
      env: environment,
      timeLimitMs: runOptions.timeLimitMs ?? limits.timeLimitMs,
      outputLimitBytes: limits.outputLimitBytes,
      ...(runOptions.stdin !== undefined ? { stdin: runOptions.stdin } : {}),
      ...(runOptions.resultChannel ? { resultChannel: true } : {}),
      workspace,
      limits,
      ...(user ? { user } : {}),
    });
    live.add(started);
    const result = started.result.then((finished) => {
      live.delete(started);
      return record(finished);
    });
    return { ...started, result, stop: async () => (await started.stop(), result) };
  };

  const requireKind = (kind: LabEntry['kind'], what: string) => {
    if (entry.kind !== kind) throw new Error(`submission.${what}() is for '${kind}' entries; this lab's entry is '${entry.kind}'`);
  };

  const submission: Submission = {
    entry,
    async run(runOptions = {}) {
      requireKind('command', 'run');
      const argv = await commandLine(runOptions.args ?? []);
      if (!Array.isArray(argv)) return argv;
      return startProcess(argv, runOptions).result;
    },
    async start(runOptions = {}) {
      requireKind('command', 'start');
      const argv = await commandLine(runOptions.args ?? []);
      if (!Array.isArray(argv)) {
        const failed = argv;
        return { pid: undefined, result: Promise.resolve(failed), stop: async () => failed };
      }
      return startProcess(argv, runOptions);
    },
    async call(calls) {
      requireKind('module', 'call');
      const modulePath = entry.module ?? '';
      if (!existsSync(join(workspace.submissionDir, modulePath))) {
        buildError(`${modulePath}: file not found in the submission`);
        return calls.map(() => ({ ok: false as const, error: `not run: ${modulePath} not found` }));
      }
      build ??= buildEntryOnce(workspace.submissionDir, { contents: harnessSource(modulePath, entry.export ?? 'default'), name: HARNESS_FILE });
      const built = await build;
      if (!built.ok) {
        buildError(built.message);
        return calls.map(() => ({ ok: false as const, error: 'not run: build error' }));
      }
      const argv = [process.execPath, ...sandboxFlags(workspace, limits), '--enable-source-maps', built.bundle];
      const result = await startProcess(argv, { stdin: JSON.stringify(calls), resultChannel: true }).result;
      const reason = result.status === 'timeout' ? 'the submission timed out' : 'the submission process ended first';
      const output = parseHarnessOutput(result.channel ?? '', calls.length, reason);
      if (output.fatal) {
        runs.pop();
        buildError(output.fatal);
        return calls.map(() => ({ ok: false as const, error: 'not run: build error' }));
      }
      return output.results;
    },
    async queries() {
      requireKind('sql', 'queries');
      const read = readEntryFile(workspace, entry.file ?? '');
      if ('problem' in read) return (buildError(read.problem), []);
      const { text } = read;
      if (!options.databaseUrl) throw new Error('sql entries need the postgres service; add it to the lab\'s services');
      let parsed;
      try {
        parsed = parseSqlFile(text);
      } catch (error) {
        if (error instanceof SqlFileError) return (buildError(`${entry.file}: ${error.message}`), []);
        throw error;
      }
      const started = performance.now();
      const results = await runSqlQueries(parsed, { databaseUrl: options.databaseUrl, timeLimitMs: limits.timeLimitMs });
      const failures = results.filter((result) => !result.ok);
      record({
        status: results.some((result) => result.timedOut) ? 'timeout' : 'ok',
        exitCode: 0,
        signal: null,
        stdout: results.map((result) => `${result.name}: ${result.ok ? `${result.rows.length} rows${result.truncated ? ' (cut)' : ''}` : 'error'}\n`).join(''),
        stderr: failures.map((result) => `${result.name}: ${result.error}\n`).join(''),
        stdoutTruncated: false,
        stderrTruncated: false,
        durationMs: Math.round(performance.now() - started),
      });
      return results;
    },
    async answers(file = entry.file ?? '') {
      requireKind('answers', 'answers');
      const read = readEntryFile(workspace, file);
      if ('problem' in read) return (buildError(read.problem), undefined);
      try {
        return parseYaml(read.text) as unknown;
      } catch (error) {
        buildError(`${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        return undefined;
      }
    },
  };

  return {
    submission,
    workspace,
    summarize: (outputs) => summarizeRuns(runs, outputs, sandbox),
    async dispose() {
      await Promise.all([...live].map((process) => process.stop()));
      // Whatever any of its processes left, wherever it went: the run's user owns nothing else.
      if (user) releaseSandboxUser(user);
      firewall?.remove();
      workspace.dispose();
    },
  };
}

const SEVERITY: Record<ProcessStatus, number> = {
  ok: 0,
  stopped: 0,
  crash: 1,
  'open-files-limit': 2,
  'process-limit': 2,
  'disk-limit': 2,
  'memory-limit': 2,
  timeout: 3,
  'build-error': 4,
};

export function summarizeRuns(runs: ProcessResult[], outputs: unknown, sandbox: SandboxReport = sandboxReport(undefined, false)): SubmissionRun {
  const worst = runs.reduce<ProcessResult | undefined>((found, run) => (!found || SEVERITY[run.status] > SEVERITY[found.status] ? run : found), undefined);
  const status: RunStatus = !worst ? 'not-run' : worst.status === 'stopped' ? 'ok' : worst.status;
  const last = runs.at(-1);
  return {
    status,
    exitCode: (worst?.status === 'ok' || worst?.status === 'stopped' ? last : worst)?.exitCode ?? null,
    signal: (worst?.status === 'crash' ? worst : last)?.signal ?? null,
    timedOut: runs.some((run) => run.status === 'timeout'),
    crashed: runs.some((run) => run.status === 'crash' || run.limitReason !== undefined),
    ...(worst?.buildError ? { buildError: worst.buildError } : {}),
    ...(worst?.limitReason ? { limitReason: worst.limitReason } : {}),
    sandbox,
    stdout: runs.map((run) => run.stdout).join(''),
    stderr: runs.map((run) => run.stderr).join(''),
    outputTruncated: runs.some((run) => run.stdoutTruncated || run.stderrTruncated),
    durationMs: runs.reduce((total, run) => total + run.durationMs, 0),
    runs,
    outputs,
  };
}

/**
 * A file the grader reads and parses in its own process (SQL, answers) is kept small: parsing a
 * megabyte of YAML takes seconds and half a gigabyte, and nothing a trainee writes by hand comes
 * near the limit.
 */
export const ENTRY_FILE_LIMIT_BYTES = 256 * 1024;

function readEntryFile(workspace: Workspace, file: string): { text: string } | { problem: string } {
  const path = join(workspace.submissionDir, file);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) return { problem: `${file}: file not found in the submission` };
  if (stat.size > ENTRY_FILE_LIMIT_BYTES) {
    return { problem: `${file}: ${stat.size.toLocaleString('en')} bytes; a file the grader reads itself (SQL, answers) may hold at most ${ENTRY_FILE_LIMIT_BYTES / 1024} KiB` };
  }
  return { text: readFileSync(path, 'utf8') };
}

function definedOnly(variables: SubmissionEnvironment): Record<string, string> {
  return Object.fromEntries(Object.entries(variables).filter((pair): pair is [string, string] => typeof pair[1] === 'string'));
}
