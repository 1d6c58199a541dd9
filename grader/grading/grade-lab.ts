import { freshSeed } from '../../mock-systems/platform/random.ts';
import type { Check, CheckContext, CheckOutcome } from '../checks/scenario.ts';
import type { Lab } from '../labs/catalogue.ts';
import { limitsFrom } from '../runner/limits.ts';
import type { Launcher } from '../runner/local-launcher.ts';
import { isLimitStatus } from '../runner/process-result.ts';
import { prepareSubmission, summarizeRuns, type Submission, type SubmissionRun } from '../runner/submission.ts';
import { createWorkspace } from '../runner/workspace.ts';
import type { StartEnvironment } from './environment-factory.ts';
import { prepareLabEnvironment, ScenarioError, type LabSession } from './lab-session.ts';
import type { CheckResult, GradeResult, RunSummary } from './result.ts';
import { journalOverflowReason, overflowedJournals } from './journal-overflow.ts';

export interface GradeOptions {
  /** The same seed gives the same data, faults and result; a fresh one when absent. */
  seed?: number;
  /** The seed is the one the trainee was given (`--seed` on the command line): see DriveContext.seedGiven. */
  seedGiven?: boolean;
  /** `public` for `lab check` (fast, public checks only); `all` for `lab grade`. */
  checks?: 'public' | 'all';
  startEnvironment?: StartEnvironment;
  /** A check that takes longer is a grader error. */
  checkTimeoutMs?: number;
  /** Where the submission's processes run; this machine, confined, by default. */
  launch?: Launcher;
}

const DEFAULT_CHECK_TIMEOUT_MS = 30_000;
/**
 * A drive waits for the submission with limits of its own (each run's time limit, the scenario's
 * waits); this is the net below them, so that nothing a submission does keeps the grader from
 * writing its report.
 */
const DRIVE_TIMEOUT_MS = 10 * 60_000;

/**
 * Grades one submission folder against a fresh environment: start services, scenario setup,
 * run the submission (through the scenario's drive), run the checks, stop everything.
 * Problems in the lab's own code come back as a result with status `error`; a missing
 * submission folder, a broken lab file or an environment that will not start are thrown.
 */
export async function gradeLab(lab: Lab, submissionDir: string, options: GradeOptions = {}): Promise<GradeResult> {
  const seed = options.seed ?? freshSeed();
  const checksRun = options.checks ?? 'all';
  const startedAt = new Date();
  const started = performance.now();
  createWorkspace(submissionDir).dispose(); // fail fast, before any service starts

  let session: LabSession;
  try {
    session = await prepareLabEnvironment(lab, { seed, ...(options.startEnvironment ? { startEnvironment: options.startEnvironment } : {}) });
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return scenarioFailure(lab, seed, checksRun, error, startedAt, started);
  }
  const checks = session.scenario.checks.filter((check) => checksRun === 'all' || check.visibility === 'public');
  const prepared = prepareSubmission({
    entry: lab.manifest.entry,
    sourceDir: submissionDir,
    // A provider that runs the submission elsewhere (docker: a container on the run's network)
    // gives its launcher, and the services' addresses as seen from there.
    variables: { ...(session.env.submission?.variables ?? session.env.variables), LAB_SEED: String(seed) },
    limits: limitsFrom(lab.manifest),
    ...(session.env.databaseUrl ? { databaseUrl: session.env.databaseUrl } : {}),
    ...(options.launch ? { launch: options.launch } : session.env.submission ? { launch: session.env.submission.launch } : {}),
  });
  try {
    let outputs: unknown;
    const driveContext = { ...session.context, setup: session.setup, checks: checksRun, seedGiven: options.seedGiven ?? false };
    try {
      const drive = session.scenario.drive ? session.scenario.drive(driveContext, prepared.submission) : defaultDrive(prepared.submission);
      outputs = await withTimeout(Promise.resolve(drive), DRIVE_TIMEOUT_MS, `the drive did not finish within ${DRIVE_TIMEOUT_MS / 60_000} minutes`);
    } catch (error) {
      return scenarioFailure(lab, seed, checksRun, new ScenarioError('drive', error), startedAt, started, checks);
    }
    const submission = prepared.summarize(outputs);
    const context: CheckContext<unknown, unknown> = { ...driveContext, submission, outputs };
    const overflowed = await overflowedJournals(session.env);
    const results: CheckResult[] = [];
    for (const [index, check] of checks.entries()) {
      const position = session.scenario.checks.indexOf(check) + 1 || index + 1;
      results.push(
        overflowed.length > 0
          ? { ...resultBase(check, position), status: 'fail', score: 0, ...journalOverflowReason(overflowed), durationMs: 0 }
          : await runCheck(check, position, context, submission, options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS),
      );
    }
    return assemble(lab, seed, checksRun, submission, results, [], startedAt, started);
  } finally {
    await prepared.dispose().catch(() => {});
    await session.stop().catch(() => {});
  }
}

/** Without a drive: run the command once, run the queries, or read the answers. */
async function defaultDrive(submission: Submission): Promise<unknown> {
  switch (submission.entry.kind) {
    case 'command':
      return submission.run();
    case 'sql':
      return submission.queries();
    case 'answers':
      return submission.answers();
    case 'module':
      throw new Error('module entries need a drive that calls submission.call(...)');
  }
}

/** What a check's result says of the check itself, run or not. */
function resultBase(check: Check, position: number) {
  return {
    id: check.id,
    title: check.title,
    visibility: check.visibility,
    points: check.points,
    task: check.task ?? position,
    ...(check.targets ? { targets: check.targets } : {}),
  };
}

async function runCheck(check: Check, position: number, context: CheckContext<unknown, unknown>, run: SubmissionRun, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const base = resultBase(check, position);
  let outcome: CheckOutcome;
  try {
    outcome = await withTimeout(Promise.resolve().then(() => check.run(context)), timeoutMs, `check ${check.id} did not finish within ${timeoutMs / 1000} s`);
    if (!outcome || typeof outcome.passed !== 'boolean') throw new Error(`check ${check.id} returned ${JSON.stringify(outcome)}, not { passed, … }`);
  } catch (error) {
    return { ...base, status: 'error', score: 0, error: error instanceof Error ? error.message : String(error), durationMs: elapsed(started) };
  }
  const score = clamp(outcome.score ?? (outcome.passed ? check.points : 0), check.points);
  const cause = run.status === 'crash' || run.status === 'timeout' || run.status === 'build-error' || isLimitStatus(run.status) ? run.status : undefined;
  return {
    ...base,
    status: outcome.passed ? 'pass' : 'fail',
    score: outcome.passed && outcome.score === undefined ? check.points : score,
    ...(outcome.expected !== undefined ? { expected: outcome.expected } : {}),
    ...(outcome.actual !== undefined ? { actual: outcome.actual } : {}),
    ...(outcome.hint !== undefined ? { hint: outcome.hint } : {}),
    ...(!outcome.passed && cause ? { cause } : {}),
    durationMs: elapsed(started),
  };
}

function assemble(
  lab: Lab,
  seed: number,
  checksRun: 'public' | 'all',
  submission: SubmissionRun,
  checks: CheckResult[],
  extraErrors: string[],
  startedAt: Date,
  started: number,
): GradeResult {
  const score = toHundredths(checks.reduce((total, check) => total + check.score, 0));
  const maxScore = checks.reduce((total, check) => total + check.points, 0);
  const graderErrors = [...extraErrors, ...checks.filter((check) => check.error).map((check) => `${check.id}: ${check.error}`)];
  const pointsLost = toHundredths(checks.filter((check) => check.cause).reduce((total, check) => total + check.points - check.score, 0));
  const { runs: _runs, outputs: _outputs, ...observed } = submission;
  const run: RunSummary = { ...observed, pointsLost, timeLimitSeconds: lab.manifest.timeLimitSeconds };
  const status = graderErrors.length > 0 ? 'error' : checks.every((check) => check.status === 'pass') ? 'pass' : 'fail';
  return {
    lab: { id: lab.id, title: lab.manifest.title },
    seed,
    checksRun,
    status,
    message: summaryMessage(status, score, maxScore, run, graderErrors),
    score,
    maxScore,
    run,
    checks,
    graderErrors,
    startedAt: startedAt.toISOString(),
    durationMs: elapsed(started),
  };
}

function summaryMessage(status: GradeResult['status'], score: number, maxScore: number, run: RunSummary, graderErrors: string[]): string {
  const parts = [`${score}/${maxScore} points.`];
  if (run.status === 'build-error') parts.push(`The submission did not build; ${run.pointsLost} points lost.`);
  if (run.status === 'timeout') parts.push(`The submission was stopped at the ${run.timeLimitSeconds} s time limit; ${run.pointsLost} points lost in checks that failed.`);
  if (run.status === 'crash') {
    const how = run.signal ? `was killed by ${run.signal}` : `exited with code ${run.exitCode}`;
    parts.push(`The submission crashed (it ${how}); ${run.pointsLost} points lost in checks that failed.`);
  }
  if (isLimitStatus(run.status)) parts.push(`The submission was stopped: it ${run.limitReason ?? run.status}; ${run.pointsLost} points lost in checks that failed.`);
  if (run.outputTruncated) parts.push('Its output was cut at the lab\'s output limit.');
  if (status === 'error') parts.push(`Grader error (not your fault; tell the trainer): ${graderErrors[0]}${graderErrors.length > 1 ? ` (+${graderErrors.length - 1} more)` : ''}`);
  return parts.join(' ');
}

/** The result of a grading that a signal ended before it finished: a grader error, no score. */
export function interruptedResult(lab: Lab, seed: number, checksRun: 'public' | 'all', signal: string): GradeResult {
  const now = new Date();
  return assemble(lab, seed, checksRun, summarizeRuns([], undefined), [], [`grading was interrupted by ${signal} before it finished; run it again`], now, performance.now());
}

function scenarioFailure(
  lab: Lab,
  seed: number,
  checksRun: 'public' | 'all',
  error: ScenarioError,
  startedAt: Date,
  started: number,
  checks?: Check[],
): GradeResult {
  const planned = checks ?? [];
  const results: CheckResult[] = planned.map((check, index) => ({
    id: check.id,
    title: check.title,
    visibility: check.visibility,
    status: 'error',
    score: 0,
    points: check.points,
    task: check.task ?? index + 1,
    error: `not run: ${error.message}`,
    durationMs: 0,
  }));
  return assemble(lab, seed, checksRun, summarizeRuns([], undefined), results, results.length === 0 ? [error.message] : [], startedAt, started);
}

function clamp(score: number, points: number): number {
  if (!Number.isFinite(score)) return 0;
  return Math.min(points, Math.max(0, toHundredths(score)));
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Scores are kept to hundredths of a point; sums of them are rounded again so 84.79 stays 84.79. */
function toHundredths(value: number): number {
  return Math.round(value * 100) / 100;
}
