import type { Visibility } from '../checks/scenario.ts';
import type { RunStatus, SubmissionRun } from '../runner/submission.ts';

export type CheckStatus = 'pass' | 'fail' | 'error';

/** One check's result, as every reporter shows it. */
export interface CheckResult {
  id: string;
  title: string;
  visibility: Visibility;
  status: CheckStatus;
  score: number;
  points: number;
  task: number;
  targets?: string;
  expected?: string;
  actual?: string;
  hint?: string;
  /** Set when the check failed while the submission had crashed, timed out or not built. */
  cause?: Exclude<RunStatus, 'ok' | 'not-run'>;
  /** For `error`: what went wrong in the grader (never the trainee's fault). */
  error?: string;
  durationMs: number;
}

/** What the submission did (its output capped as the lab allows), and what that cost. */
export interface RunSummary extends Omit<SubmissionRun, 'runs' | 'outputs'> {
  /** Points lost in checks that failed while the run had crashed, timed out or not built. */
  pointsLost: number;
  timeLimitSeconds: number;
}

export interface GradeResult {
  lab: { id: string; title: string };
  seed: number;
  /** Which checks ran: public only (`lab check`) or all (`lab grade`). */
  checksRun: 'public' | 'all';
  /** pass: every check ran passed; fail: some did not; error: the grader itself failed. */
  status: CheckStatus;
  /** One sentence: the score and what stood out (a crash, a timeout, a grader error). */
  message: string;
  score: number;
  maxScore: number;
  run: RunSummary;
  checks: CheckResult[];
  /** Problems in the lab or the grader, not in the submission. */
  graderErrors: string[];
  startedAt: string;
  durationMs: number;
}
