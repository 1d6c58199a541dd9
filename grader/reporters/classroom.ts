import type { GradeResult } from '../grading/result.ts';
import { checkFeedback, roundPoints, runFeedback, testName } from './feedback.ts';

/**
 * The result GitHub Classroom's autograding reporter (classroom-resources/autograding-grading-reporter)
 * reads from each runner: `max_score` and per-test `score` give the points Classroom records
 * (the sum of the tests' scores out of max_score), `status` and `message` what the student sees
 * in the Actions log. The workflow passes it base64-encoded in `<RUNNER>_RESULTS`
 * (grader/adapters/github/classroom.yml).
 */
export interface ClassroomResults {
  version: 1;
  status: 'pass' | 'fail' | 'error';
  max_score: number;
  tests: ClassroomTest[];
}

export interface ClassroomTest {
  name: string;
  status: 'pass' | 'fail' | 'error';
  score: number;
  message: string | null;
}

export function toClassroom(result: GradeResult): ClassroomResults {
  const runLine = runFeedback(result, 1500);
  return {
    version: 1,
    status: result.status,
    max_score: roundPoints(result.maxScore),
    tests: result.checks.map((check) => {
      const feedback = checkFeedback(check, 'learner');
      // The log shows only each test's message: the first failed test also says how the run ended.
      return { name: testName(check), status: check.status, score: roundPoints(check.score), message: feedback && check.cause && runLine ? `${feedback}\n${runLine}` : feedback };
    }),
  };
}

export function formatClassroom(result: GradeResult): string {
  return `${JSON.stringify(toClassroom(result), null, 2)}\n`;
}
