import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so it works from any working directory. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

/** The project's installed packages (kafkajs, pg, …), which submissions may import. */
export function projectNodeModules(): string {
  return realpathSync(`${PROJECT_ROOT}/node_modules`);
}
