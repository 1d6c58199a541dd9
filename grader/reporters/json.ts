import type { CheckResult, GradeResult } from '../grading/result.ts';
import { checkFeedback } from './feedback.ts';
import { describeRun } from './run-description.ts';
import { tail } from './safe-text.ts';

/**
 * Our own report, with everything the grader knows (hidden checks' expected values and hints
 * too): for trainers and scripts, not for learners. Its field names grew from Exercism's and
 * Gradescope's, but each platform gets its own exact document (exercism.ts, gradescope.ts).
 * Field by field in docs/grader.md.
 */
export interface ResultsJson {
  // Exercism v3
  version: 3;
  status: 'pass' | 'fail' | 'error';
  message: string | null;
  tests: ResultsJsonTest[];
  // Gradescope
  score: number;
  max_score: number;
  execution_time: number;
  output: string;
  visibility: 'visible';
  stdout_visibility: 'visible';
  // Integration Lab
  lab: { id: string; title: string };
  seed: number;
  checks_run: 'public' | 'all';
  run: GradeResult['run'];
  grader_errors: string[];
  started_at: string;
}

export interface ResultsJsonTest {
  // Exercism v3
  name: string;
  status: 'pass' | 'fail' | 'error';
  message: string | null;
  output: string | null;
  task_id: number;
  // Gradescope
  score: number;
  max_score: number;
  visibility: 'visible' | 'after_published';
  tags: string[];
  // Integration Lab
  id: string;
  expected?: string;
  actual?: string;
  hint?: string;
  cause?: string;
  duration_ms: number;
}

/** Exercism shows at most this much of a test's output. */
const EXERCISM_OUTPUT_LIMIT = 500;

export function toResultsJson(result: GradeResult): ResultsJson {
  const runLine = describeRun(result.run);
  return {
    version: 3,
    status: result.status,
    message: result.status === 'error' ? result.message : null,
    tests: result.checks.map((check) => toTest(check, result)),
    score: result.score,
    max_score: result.maxScore,
    execution_time: Math.round(result.durationMs) / 1000,
    output: [result.message, runLine && !result.message.includes(runLine) ? runLine : undefined].filter(Boolean).join('\n'),
    visibility: 'visible',
    stdout_visibility: 'visible',
    lab: result.lab,
    seed: result.seed,
    checks_run: result.checksRun,
    run: result.run,
    grader_errors: result.graderErrors,
    started_at: result.startedAt,
  };
}

export function formatJson(result: GradeResult): string {
  return `${JSON.stringify(toResultsJson(result), null, 2)}\n`;
}

function toTest(check: CheckResult, result: GradeResult): ResultsJsonTest {
  return {
    name: check.title,
    status: check.status,
    message: checkFeedback(check, 'trainer'),
    output: check.status !== 'pass' && check.cause ? tail(result.run.stderr || result.run.stdout, EXERCISM_OUTPUT_LIMIT) || null : null,
    task_id: check.task,
    score: check.score,
    max_score: check.points,
    // Gradescope's `hidden` would hide the result for good; hidden checks are revealed with the grades.
    visibility: check.visibility === 'public' ? 'visible' : 'after_published',
    tags: [check.visibility, ...(check.targets ? [check.targets] : [])],
    id: check.id,
    ...(check.expected !== undefined ? { expected: check.expected } : {}),
    ...(check.actual !== undefined ? { actual: check.actual } : {}),
    ...(check.hint !== undefined ? { hint: check.hint } : {}),
    ...(check.cause !== undefined ? { cause: check.cause } : {}),
    duration_ms: check.durationMs,
  };
}
