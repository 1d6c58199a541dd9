import { existsSync } from 'node:fs';
import type { Lab } from '../labs/catalogue.ts';
import { LabFileError } from '../labs/lab-file-error.ts';
import { loadScenario } from '../labs/load-scenario.ts';
import type { StartEnvironment } from './environment-factory.ts';
import { gradeLab } from './grade-lab.ts';
import { loadMutants, materializeMutant } from './mutant.ts';
import type { GradeResult } from './result.ts';

export interface ValidateOptions {
  /** Seeds the reference must get full marks on; at least five by default (1..5). */
  seeds?: number[];
  /** How many of those seeds each mutant is graded on (it must be caught on every one). */
  mutantSeedCount?: number;
  startEnvironment?: StartEnvironment;
}

export type ValidationStepKind = 'reference' | 'starter' | 'mutant';

export interface ValidationStep {
  kind: ValidationStepKind;
  /** `reference`, `starter`, or the mutant's folder name. */
  name: string;
  seed: number;
  ok: boolean;
  /** Why it is wrong (or, for mutants, which mistake it models). */
  message: string;
  score: number;
  maxScore: number;
}

export interface LabValidation {
  lab: string;
  ok: boolean;
  /** Problems found before any grading (missing solution, too few mutants, broken files). */
  problems: string[];
  steps: ValidationStep[];
}

export const MIN_MUTANTS = 2;
export const DEFAULT_VALIDATION_SEEDS = [1, 2, 3, 4, 5];

/**
 * A lab's self-test: the reference gets full marks on every seed, the starter runs and does
 * not, and every mutant loses points on the check it names.
 */
export async function validateLab(lab: Lab, options: ValidateOptions = {}): Promise<LabValidation> {
  const seeds = options.seeds ?? DEFAULT_VALIDATION_SEEDS;
  const mutantSeeds = seeds.slice(0, Math.max(1, options.mutantSeedCount ?? 2));
  const grade = (dir: string, seed: number) =>
    gradeLab(lab, dir, { seed, checks: 'all', ...(options.startEnvironment ? { startEnvironment: options.startEnvironment } : {}) });
  const problems: string[] = [];
  const steps: ValidationStep[] = [];

  let checkIds: string[] = [];
  try {
    checkIds = (await loadScenario(lab)).checks.map((check) => check.id);
  } catch (error) {
    if (!(error instanceof LabFileError)) throw error;
    return { lab: lab.id, ok: false, problems: [error.message], steps };
  }
  if (!existsSync(lab.solutionDir)) problems.push(`no reference solution at ${lab.solutionDir}`);
  let mutants: ReturnType<typeof loadMutants> = [];
  try {
    mutants = loadMutants(lab.mutantsDir, checkIds);
  } catch (error) {
    if (!(error instanceof LabFileError)) throw error;
    problems.push(error.message);
  }
  if (mutants.length < MIN_MUTANTS && problems.length === 0) {
    problems.push(`${mutants.length} mutant(s) in ${lab.mutantsDir}; a lab needs at least ${MIN_MUTANTS}, each a realistic mistake naming the check that catches it`);
  }

  if (existsSync(lab.solutionDir)) {
    for (const seed of seeds) {
      const result = await grade(lab.solutionDir, seed);
      const ok = result.status === 'pass' && result.score === result.maxScore;
      steps.push({ kind: 'reference', name: 'reference', seed, ok, message: ok ? 'full marks' : describeShortfall(result), score: result.score, maxScore: result.maxScore });
    }
  }

  const starter = await grade(lab.starterDir, seeds[0] ?? 1);
  const starterRuns = starter.run.status !== 'build-error' && starter.run.status !== 'timeout';
  const starterOk = starterRuns && starter.status !== 'error' && starter.score < starter.maxScore;
  steps.push({
    kind: 'starter',
    name: 'starter',
    seed: starter.seed,
    ok: starterOk,
    message: starterOk
      ? 'runs and does not pass'
      : !starterRuns
        ? `must run: ${starter.run.status}${starter.run.buildError ? ` (${starter.run.buildError.split('\n')[0]})` : ''}`
        : starter.status === 'error'
          ? starter.message
          : 'gets full marks; a starter must leave the work to the trainee',
    score: starter.score,
    maxScore: starter.maxScore,
  });

  for (const mutant of mutants) {
    for (const seed of mutantSeeds) {
      const submission = materializeMutant(lab.solutionDir, mutant);
      const result = await grade(submission.dir, seed).finally(() => submission.dispose());
      const check = result.checks.find((candidate) => candidate.id === mutant.catches);
      const caught = check !== undefined && check.status === 'fail' && check.score < check.points;
      steps.push({
        kind: 'mutant',
        name: mutant.name,
        seed,
        ok: caught && result.status !== 'error',
        message: result.status === 'error'
          ? result.message
          : caught
            ? `"${mutant.mistake}" caught by ${mutant.catches} (${check.score}/${check.points})`
            : `"${mutant.mistake}" not caught: check ${mutant.catches} ${check ? `scored ${check.score}/${check.points}` : 'did not run'}`,
        score: result.score,
        maxScore: result.maxScore,
      });
    }
  }
  return { lab: lab.id, ok: problems.length === 0 && steps.every((step) => step.ok), problems, steps };
}

function describeShortfall(result: GradeResult): string {
  if (result.status === 'error') return result.message;
  const failed = result.checks.filter((check) => check.status !== 'pass');
  const first = failed[0];
  const detail = first ? `${first.id}: expected ${first.expected ?? '?'}, got ${first.actual ?? '?'}` : '';
  return `${result.score}/${result.maxScore}${result.run.status !== 'ok' ? ` (run: ${result.run.status})` : ''}; ${detail}`;
}
