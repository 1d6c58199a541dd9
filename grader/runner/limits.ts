import type { LimitStatus } from './process-result.ts';

/**
 * What one run of a submission may use. Each limit, when hit, ends the run with its own status
 * (see ProcessStatus), so a report says which one and why. A lab changes them in lab.yaml.
 */
export interface SubmissionLimits {
  /** Wall-clock time of one run (lab.yaml timeLimitSeconds). */
  timeLimitMs: number;
  /** Bytes of stdout and of stderr kept per run (outputLimitBytes). */
  outputLimitBytes: number;
  /** Memory of the whole run: the V8 heap, and the process tree where the machine can cap it (memoryLimitMb). */
  memoryLimitBytes: number;
  /** Processes and threads the run may hold at once (processLimit). */
  processLimit: number;
  /** Bytes the run may write into its workspace, in all files together (workspaceLimitMb). */
  workspaceLimitBytes: number;
  /** Files and sockets open at once (openFilesLimit). */
  openFilesLimit: number;
}

const MB = 1024 * 1024;

/** Defaults for what lab.yaml leaves out; docs/grader.md lists them. */
export const DEFAULT_LIMITS = {
  memoryLimitBytes: 512 * MB,
  processLimit: 64,
  workspaceLimitBytes: 256 * MB,
  openFilesLimit: 1024,
} as const satisfies Partial<SubmissionLimits>;

/** The lab.yaml fields, as they are written there. */
export interface LimitFields {
  timeLimitSeconds: number;
  outputLimitBytes: number;
  memoryLimitMb?: number;
  processLimit?: number;
  workspaceLimitMb?: number;
  openFilesLimit?: number;
}

export function limitsFrom(fields: LimitFields): SubmissionLimits {
  return {
    timeLimitMs: fields.timeLimitSeconds * 1000,
    outputLimitBytes: fields.outputLimitBytes,
    memoryLimitBytes: fields.memoryLimitMb === undefined ? DEFAULT_LIMITS.memoryLimitBytes : fields.memoryLimitMb * MB,
    processLimit: fields.processLimit ?? DEFAULT_LIMITS.processLimit,
    workspaceLimitBytes: fields.workspaceLimitMb === undefined ? DEFAULT_LIMITS.workspaceLimitBytes : fields.workspaceLimitMb * MB,
    openFilesLimit: fields.openFilesLimit ?? DEFAULT_LIMITS.openFilesLimit,
  };
}

/** One line naming the limit and the lab.yaml field that sets it, for reports. */
export function describeLimit(status: LimitStatus, limits: SubmissionLimits): string {
  switch (status) {
    case 'memory-limit':
      return `used more than its ${Math.round(limits.memoryLimitBytes / MB)} MB of memory (lab.yaml memoryLimitMb)`;
    case 'process-limit':
      return `tried to run more than ${limits.processLimit} processes or threads at once (lab.yaml processLimit)`;
    case 'disk-limit':
      return `wrote more than ${Math.round(limits.workspaceLimitBytes / MB)} MB into its workspace (lab.yaml workspaceLimitMb)`;
    case 'open-files-limit':
      return `opened more than ${limits.openFilesLimit} files or sockets at once (lab.yaml openFilesLimit)`;
  }
}
