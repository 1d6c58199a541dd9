import type { CheckResult, GradeResult } from '../grading/result.ts';
import { checkFeedback, testName } from './feedback.ts';

/**
 * Exercism's results.json, version 3, as its test runner interface specifies it. Status
 * `error` means the tests did not run correctly: a solution that does not build, or a grader
 * that failed. Then the top-level message is all the student gets, so it carries the
 * compiler's message with file, line and column.
 */
export interface ExercismResults {
  version: 3;
  status: 'pass' | 'fail' | 'error';
  message: string | null;
  tests: ExercismTest[];
}

export interface ExercismTest {
  name: string;
  status: 'pass' | 'fail' | 'error';
  message: string | null;
  output?: string;
  task_id: number;
}

/** The interface's limit on a test's output, and the note it suggests when output is cut. */
export const EXERCISM_OUTPUT_LIMIT = 500;
const TRUNCATED = 'Output was truncated. Please limit to 500 chars.';

export function toExercism(result: GradeResult): ExercismResults {
  if (result.run.status === 'build-error') {
    return { version: 3, status: 'error', message: `The solution did not build, so no check could run:\n${result.run.buildError ?? 'build failed'}`, tests: [] };
  }
  if (result.status === 'error') {
    const details = result.graderErrors.filter((error) => !result.message.includes(error));
    return { version: 3, status: 'error', message: ['Grader error (not your fault; tell your mentor):', result.message, ...details].join('\n'), tests: [] };
  }
  const output = userOutput(result);
  return {
    version: 3,
    status: result.status,
    message: null,
    tests: result.checks.map((check) => toTest(check, check.status === 'pass' ? undefined : output)),
  };
}

export function formatExercism(result: GradeResult): string {
  return `${JSON.stringify(toExercism(result), null, 2)}\n`;
}

function toTest(check: CheckResult, output: string | undefined): ExercismTest {
  return {
    name: testName(check),
    status: check.status,
    message: checkFeedback(check, 'learner'),
    // What the student printed, next to the checks it may explain; passing checks stay short.
    ...(output ? { output } : {}),
    task_id: check.task,
  };
}

/** What the program printed (stderr first: that is where a crash shows), within the interface's 500 characters. */
function userOutput(result: GradeResult): string | undefined {
  const text = (result.run.stderr || result.run.stdout).trimEnd();
  if (!text) return undefined;
  if (text.length <= EXERCISM_OUTPUT_LIMIT) return text;
  const room = EXERCISM_OUTPUT_LIMIT - TRUNCATED.length - 2;
  return `${TRUNCATED}\n…${text.slice(text.length - room)}`;
}
