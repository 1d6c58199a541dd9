import type { CheckResult, GradeResult } from '../grading/result.ts';
import { checkFeedback, roundPoints, runFeedback, testName } from './feedback.ts';

type Visibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';

/**
 * Gradescope's autograder results.json, field by field as its "Autograder Specifications"
 * page lists them. Students see the top-level `output` and each test's `output`, so that is
 * where the feedback goes; `extra_data` is stored for instructors and never shown.
 */
export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  output_format: 'text';
  test_output_format: 'text';
  test_name_format: 'text';
  visibility: Visibility;
  stdout_visibility: Visibility;
  extra_data: { lab: string; seed: number; checks_run: 'public' | 'all'; run_status: string; max_score: number; grader_errors: string[] };
  tests: GradescopeTest[];
}

export interface GradescopeTest {
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  name: string;
  name_format: 'text';
  number: string;
  output: string;
  output_format: 'text';
  tags: string[];
  visibility: Visibility;
  extra_data: { id: string; cause?: string; grader_error?: boolean };
}

/** Gradescope shows test output in a box; the end of a log is what explains a crash. */
const RUN_OUTPUT_CHARS = 3000;

export function toGradescope(result: GradeResult): GradescopeResults {
  const graderErrors = result.graderErrors.map((error) => `Grader error (not your fault; tell your instructor): ${error}`);
  return {
    score: roundPoints(result.score),
    execution_time: Math.max(0, Math.round(result.durationMs / 1000)),
    output: [`${result.lab.id}: ${result.lab.title}: ${roundPoints(result.score)}/${roundPoints(result.maxScore)} (seed ${result.seed})`, runFeedback(result, RUN_OUTPUT_CHARS), ...graderErrors]
      .filter(Boolean)
      .join('\n\n'),
    // Plain text: the submission's own output is in here, and must not be read as HTML or Markdown.
    output_format: 'text',
    test_output_format: 'text',
    test_name_format: 'text',
    visibility: 'visible',
    // The autograder's own log is for instructors debugging the setup.
    stdout_visibility: 'hidden',
    extra_data: { lab: result.lab.id, seed: result.seed, checks_run: result.checksRun, run_status: result.run.status, max_score: roundPoints(result.maxScore), grader_errors: result.graderErrors },
    tests: result.checks.map((check, index) => toTest(check, index)),
  };
}

export function formatGradescope(result: GradeResult): string {
  return `${JSON.stringify(toGradescope(result), null, 2)}\n`;
}

function toTest(check: CheckResult, index: number): GradescopeTest {
  return {
    score: roundPoints(check.score),
    max_score: roundPoints(check.points),
    // Gradescope would infer pass from score = max_score; a check that errored scored nothing either way.
    status: check.status === 'pass' ? 'passed' : 'failed',
    name: testName(check),
    name_format: 'text',
    number: String(index + 1),
    output: checkFeedback(check, 'learner') ?? 'Passed.',
    output_format: 'text',
    tags: [check.visibility, ...(check.targets ? [check.targets] : [])],
    // `hidden` would hide the test from the student for good; hidden checks show once grades are published.
    visibility: check.visibility === 'public' ? 'visible' : 'after_published',
    extra_data: { id: check.id, ...(check.cause ? { cause: check.cause } : {}), ...(check.status === 'error' ? { grader_error: true } : {}) },
  };
}
