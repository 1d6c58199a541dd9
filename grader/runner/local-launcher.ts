import { confineProcess } from './confinement.ts';
import { startLimitedProcess, type LimitedProcess, type LimitedProcessOptions } from './limited-process.ts';
import type { SubmissionLimits } from './limits.ts';
import type { SandboxUser } from './sandbox-user.ts';
import type { Workspace } from './workspace.ts';

/** One process of a submission to start: its command line, and the run it belongs to. */
export interface LaunchRequest extends Omit<LimitedProcessOptions, 'monitor' | 'reap' | 'user'> {
  workspace: Workspace;
  limits: SubmissionLimits;
  /** The run's dedicated user, when the grader is root. */
  user?: SandboxUser;
}

/** Starts a submission's process somewhere (this machine, a container) and reports how it ended. */
export type Launcher = (request: LaunchRequest) => LimitedProcess;

/** On this machine, in every protection it gives (see confinement.ts). */
export const launchLocally: Launcher = (request) => {
  const { workspace, limits, user, ...base } = request;
  const confined = confineProcess({ argv: base.argv, workspace, user, limits, base });
  const started = startLimitedProcess(confined.options);
  const result = started.result.then(async (ended) => {
    const classified = confined.classify(ended);
    await confined.dispose();
    return classified;
  });
  return {
    pid: started.pid,
    result,
    async stop() {
      await started.stop();
      return result;
    },
  };
};
