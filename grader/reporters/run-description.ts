import type { RunSummary } from '../grading/result.ts';
import { roundPoints } from './points.ts';

/** One sentence on how the submission's run ended, or undefined when it ended normally. */
export function describeRun(run: RunSummary): string | undefined {
  switch (run.status) {
    case 'build-error':
      return `Build error: the submission did not compile, so it never ran (${roundPoints(run.pointsLost)} points lost).`;
    case 'timeout':
      return `Timeout: stopped at the ${run.timeLimitSeconds} s time limit (${roundPoints(run.pointsLost)} points lost in checks that failed).`;
    case 'crash':
      return `Crash: the submission ${run.signal ? `was killed by ${run.signal}` : `exited with code ${run.exitCode}`} (${roundPoints(run.pointsLost)} points lost in checks that failed).`;
    case 'not-run':
      return 'The submission was not run.';
    case 'memory-limit':
    case 'process-limit':
    case 'disk-limit':
    case 'open-files-limit':
      return `Limit: the submission was stopped because it ${run.limitReason ?? run.status} (${roundPoints(run.pointsLost)} points lost in checks that failed).`;
    default:
      return undefined;
  }
}
