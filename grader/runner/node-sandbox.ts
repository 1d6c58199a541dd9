import type { Workspace } from './workspace.ts';
import { projectNodeModules } from './project-paths.ts';

/**
 * Node's permission model for a submission: read its workspace and the project's packages,
 * write only its workspace; no child processes, no worker threads, no native addons.
 * Node 20 calls the switch --experimental-permission; later versions call it --permission.
 */
export function sandboxFlags(workspace: Workspace): string[] {
  const enable = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
  return [
    enable,
    `--allow-fs-read=${workspace.root}`,
    `--allow-fs-read=${projectNodeModules()}`,
    `--allow-fs-write=${workspace.root}`,
    '--disable-warning=ExperimentalWarning',
  ];
}
