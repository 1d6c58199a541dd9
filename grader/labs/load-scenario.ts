import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Check, Scenario } from '../checks/scenario.ts';
import type { Lab } from './catalogue.ts';
import { LabFileError } from './lab-file-error.ts';

const CHECK_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Imports a lab's scenario.ts and checks it against its manifest: unique check ids, points
 * that add up to the manifest's, at least one public check, a drive for module entries.
 */
export async function loadScenario(lab: Lab): Promise<Scenario> {
  const shown = relative(process.cwd(), lab.scenarioPath) || lab.scenarioPath;
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(lab.scenarioPath).href)) as { default?: unknown };
  } catch (error) {
    throw new LabFileError(shown, [`could not be loaded: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const loaded = module.default as Scenario | undefined;
  if (!loaded || typeof loaded !== 'object' || !Array.isArray(loaded.checks)) {
    throw new LabFileError(shown, ['must `export default defineScenario({ setup, drive, checks })` with a checks array']);
  }
  const problems: string[] = [];
  const hidden = await loadHiddenChecks(lab, problems);
  // The file says who may see a check: a hidden check among the public ones would ship in a bundle.
  if (hidden.length > 0) {
    loaded.checks.forEach((check, index) => {
      if (check?.visibility === 'hidden') problems.push(`checks[${index}] (${String(check.id)}): hidden checks belong in hidden/checks.ts, which this lab has; move it there`);
    });
  }
  const scenario: Scenario = { ...loaded, checks: [...loaded.checks, ...hidden] };
  const seen = new Set<string>();
  scenario.checks.forEach((check, index) => {
    const where = `checks[${index}]${typeof check?.id === 'string' ? ` (${check.id})` : ''}`;
    if (typeof check?.id !== 'string' || !CHECK_ID.test(check.id)) problems.push(`${where}: id must be kebab-case, e.g. "dates-normalised"`);
    else if (seen.has(check.id)) problems.push(`${where}: id "${check.id}" is used twice`);
    else seen.add(check.id);
    if (typeof check?.title !== 'string' || check.title.length === 0) problems.push(`${where}: needs a title`);
    if (!Number.isInteger(check?.points) || check.points <= 0) problems.push(`${where}: points must be a positive integer (got ${JSON.stringify(check?.points)})`);
    if (check?.visibility !== 'public' && check?.visibility !== 'hidden') problems.push(`${where}: visibility must be one of public, hidden (got ${JSON.stringify(check?.visibility)})`);
    if (typeof check?.run !== 'function') problems.push(`${where}: needs a run(context) function`);
  });
  // A take-home bundle carries the public checks only; packed.json says what the hidden ones weigh.
  const total = scenario.checks.reduce((sum, check) => sum + (Number.isInteger(check?.points) ? check.points : 0), 0) + (lab.packed?.hiddenPoints ?? 0);
  if (total !== lab.manifest.points) {
    problems.push(`check points add up to ${total}, but lab.yaml says points: ${lab.manifest.points}; make them agree`);
  }
  if (!scenario.checks.some((check) => check?.visibility === 'public')) {
    problems.push('needs at least one public check, or `lab check` has nothing to tell the trainee');
  }
  if (lab.manifest.entry.kind === 'module' && typeof scenario.drive !== 'function') {
    problems.push("module entries need a drive(context, submission) that calls submission.call(...) with generated inputs");
  }
  if (problems.length > 0) throw new LabFileError(shown, problems);
  return scenario;
}

/** hidden/checks.ts, when the lab has one: `export default defineChecks([...])`, every check hidden. */
async function loadHiddenChecks(lab: Lab, problems: string[]): Promise<Check[]> {
  if (!existsSync(lab.hiddenChecksPath)) return [];
  const shown = relative(process.cwd(), lab.hiddenChecksPath) || lab.hiddenChecksPath;
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(lab.hiddenChecksPath).href)) as { default?: unknown };
  } catch (error) {
    throw new LabFileError(shown, [`could not be loaded: ${error instanceof Error ? error.message : String(error)}`]);
  }
  if (!Array.isArray(module.default)) throw new LabFileError(shown, ['must `export default defineChecks([...])` with the hidden checks']);
  const checks = module.default as Check[];
  checks.forEach((check, index) => {
    if (check?.visibility !== 'hidden') problems.push(`${shown}: checks[${index}]${typeof check?.id === 'string' ? ` (${check.id})` : ''}: every check in hidden/checks.ts must have visibility 'hidden' (got ${JSON.stringify(check?.visibility)})`);
  });
  return checks;
}
