import type { CheckResult, GradeResult } from '../grading/result.ts';
import { describeRun } from './run-description.ts';
import { head, tail } from './safe-text.ts';

/**
 * The JSON report: one document that is at once Exercism's results.json (version 3) and
 * Gradescope's results.json, plus our own fields. Field by field in docs/grader.md.
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
    message: checkMessage(check),
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

/** What a failed check says, in one string for systems that show only `message`. */
export function checkMessage(check: CheckResult): string | null {
  if (check.status === 'pass') return null;
  if (check.status === 'error') return `Grader error (not your fault): ${check.error ?? 'unknown'}`;
  const parts = [
    check.cause ? `Failed after a ${check.cause.replace('-', ' ')} of the submission.` : undefined,
    check.expected !== undefined ? `Expected: ${head(check.expected, 2000)}` : undefined,
    check.actual !== undefined ? `Actual: ${head(check.actual, 2000)}` : undefined,
    check.hint !== undefined ? `Hint: ${check.hint}` : undefined,
  ].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? parts.join('\n') : 'Failed.';
}
