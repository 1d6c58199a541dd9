import type { SubmissionLimits } from './limits.ts';
import type { Workspace } from './workspace.ts';

/**
 * Node's permission model for a submission: read and write only its workspace (its built
 * entry carries the packages it imports); no child processes, no worker threads, no native
 * addons, no WASI. The V8 heap is capped below the run's memory limit, so a runaway program
 * ends with a clear "heap out of memory" before the kernel has to step in.
 * Node 20 calls the switch --experimental-permission; later versions call it --permission.
 */
export function sandboxFlags(workspace: Workspace, limits: Pick<SubmissionLimits, 'memoryLimitBytes'>): string[] {
  const enable = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
  return [
    enable,
    `--allow-fs-read=${workspace.root}`,
    `--allow-fs-write=${workspace.root}`,
    `--max-old-space-size=${heapMegabytes(limits.memoryLimitBytes)}`,
    '--disable-warning=ExperimentalWarning',
    // V8 reserves about 10 GiB of address space per WebAssembly memory for its bounds-check
    // guard pages; under the address-space rlimit that stands in for a memory cgroup (a grader
    // that is not root, or a container without cgroups, as on Gradescope) that fails, and with
    // it fetch(), whose HTTP parser is WebAssembly. Explicit bounds checks need no reservation.
    ...(process.allowedNodeEnvironmentFlags.has('--disable-wasm-trap-handler') ? ['--disable-wasm-trap-handler'] : []),
  ];
}

/** Three quarters of the memory limit for the old generation; the rest is code, buffers and the young generation. */
function heapMegabytes(memoryLimitBytes: number): number {
  return Math.max(16, Math.floor((memoryLimitBytes * 0.75) / (1024 * 1024)));
}
