import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Lab } from '../labs/catalogue.ts';
import { LabFileError } from '../labs/lab-file-error.ts';
import { loadScenario } from '../labs/load-scenario.ts';
import { createLimiter, mapWithLimit, type Limiter } from './bounded-pool.ts';
import { compareGradings, describeDifferences } from './determinism.ts';
import type { StartEnvironment } from './environment-factory.ts';
import { gradeLab } from './grade-lab.ts';
import { buildKillMatrix, type KillMatrix } from './kill-matrix.ts';
import { loadMutants, materializeMutant, type Mutant } from './mutant.ts';
import type { GradeResult } from './result.ts';
import { planValidationSeeds, type ValidationSeeds } from './validation-seeds.ts';

export interface ValidateOptions {
  /** Exactly these seeds for the reference (a replay); the first ones also for the mutants. */
  seeds?: number[];
  /** How many fixed seeds (1..n) the reference gets when `seeds` is not given; at least five. */
  fixedSeeds?: number;
  /** How many fresh random seeds the reference gets on top of the fixed ones. */
  randomSeeds?: number;
  /** How many seeds each mutant is graded on (it must be caught on every one). */
  mutantSeedCount?: number;
  /** Gradings in flight at once. */
  concurrency?: number;
  /** A pool shared with other labs' validations (then `concurrency` is ignored). */
  limiter?: Limiter;
  startEnvironment?: StartEnvironment;
  /** Draws the random seeds; tests pin it. */
  drawSeed?: () => number;
  /** Told how many gradings this lab has once they are planned, and each time one ends. */
  onProgress?: (event: { lab: string; planned: number } | { lab: string; graded: number }) => void;
}

export type ValidationStepKind = 'reference' | 'determinism' | 'starter' | 'mutant';

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
  /** The lab's own code failed on this step (setup, drive or a check threw): the lab is broken. */
  graderError?: boolean;
  /** How long the grading took, to find what makes a validation slow. */
  durationMs: number;
}

export interface LabValidation {
  lab: string;
  ok: boolean;
  /** The lab's files or code are broken (exit 3), as opposed to a step that failed (exit 1). */
  broken: boolean;
  /** Problems found before any grading (missing solution, too few mutants, broken files). */
  problems: string[];
  seeds?: ValidationSeeds;
  steps: ValidationStep[];
  /** Mutants × checks: the points each check took from each mutant. */
  matrix?: KillMatrix;
}

export const MIN_MUTANTS = 2;
/**
 * A grading mostly waits (timers, the submission, the services): about 2 CPU-seconds in 6 s
 * of wall time on this project's 2-core machine. Twice the cores keeps them busy; lab 02's
 * timing checks held at 4 in flight on a loaded 2-core machine (bench/grading/RESULTS.md).
 */
export const DEFAULT_CONCURRENCY = Math.min(8, Math.max(2, 2 * availableParallelism()));

type Job =
  | { kind: 'reference' | 'determinism' | 'starter'; seed: number }
  | { kind: 'mutant'; seed: number; mutant: Mutant };

/**
 * A lab's self-test: the reference gets full marks on every seed (fixed and random) and the
 * same result when graded twice on one seed, the starter runs and does not get full marks,
 * and every mutant loses points on the check it names, on every seed it is graded on.
 */
export async function validateLab(lab: Lab, options: ValidateOptions = {}): Promise<LabValidation> {
  const seeds = planValidationSeeds({
    ...(options.seeds ? { seeds: options.seeds } : {}),
    ...(options.fixedSeeds !== undefined ? { fixedCount: options.fixedSeeds } : {}),
    ...(options.randomSeeds !== undefined ? { randomCount: options.randomSeeds } : {}),
    ...(options.mutantSeedCount !== undefined ? { mutantSeedCount: options.mutantSeedCount } : {}),
    ...(options.drawSeed ? { draw: options.drawSeed } : {}),
  });
  const problems: string[] = [];
  const broken = (message: string): LabValidation => ({ lab: lab.id, ok: false, broken: true, problems: [message], seeds, steps: [] });

  let checks: Array<{ id: string; points: number }> = [];
  try {
    checks = (await loadScenario(lab)).checks.map((check) => ({ id: check.id, points: check.points }));
  } catch (error) {
    if (!(error instanceof LabFileError)) throw error;
    return broken(error.message);
  }
  let mutants: Mutant[] = [];
  try {
    mutants = loadMutants(lab.mutantsDir, checks.map((check) => check.id));
  } catch (error) {
    if (!(error instanceof LabFileError)) throw error;
    return broken(error.message);
  }
  const hasReference = existsSync(lab.solutionDir);
  if (!hasReference) problems.push(`no reference solution at ${lab.solutionDir}`);
  if (mutants.length < MIN_MUTANTS && problems.length === 0) {
    problems.push(`${mutants.length} mutant(s) in ${lab.mutantsDir}; a lab needs at least ${MIN_MUTANTS}, each a realistic mistake naming the check that catches it`);
  }

  const jobs: Job[] = [
    ...(hasReference ? seeds.reference.map((seed): Job => ({ kind: 'reference', seed })) : []),
    ...(hasReference ? [{ kind: 'determinism', seed: seeds.determinism } as Job] : []),
    { kind: 'starter', seed: seeds.reference[0] ?? 1 },
    ...(hasReference ? mutants.flatMap((mutant) => seeds.mutants.map((seed): Job => ({ kind: 'mutant', seed, mutant }))) : []),
  ];
  options.onProgress?.({ lab: lab.id, planned: jobs.length });
  const grade = (dir: string, seed: number) =>
    gradeLab(lab, dir, { seed, checks: 'all', ...(options.startEnvironment ? { startEnvironment: options.startEnvironment } : {}) });
  // A failure to start the environment is thrown, but only once every grading in flight has ended.
  const outcomes = await mapWithLimit(jobs, options.limiter ?? createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY), async (job) => {
    try {
      if (job.kind !== 'mutant') return { result: await grade(job.kind === 'starter' ? lab.starterDir : lab.solutionDir, job.seed) };
      const submission = materializeMutant(lab.solutionDir, job.mutant);
      return { result: await grade(submission.dir, job.seed).finally(() => submission.dispose()) };
    } catch (error) {
      return { thrown: error };
    } finally {
      options.onProgress?.({ lab: lab.id, graded: 1 });
    }
  });
  const thrown = outcomes.find((outcome) => 'thrown' in outcome);
  if (thrown && 'thrown' in thrown) throw thrown.thrown;
  const results = outcomes.map((outcome) => (outcome as { result: GradeResult }).result);

  // Jobs are in report order: every reference grading comes before the regrade it is compared with.
  const steps: ValidationStep[] = [];
  const referenceBySeed = new Map<number, GradeResult>();
  jobs.forEach((job, index) => {
    const result = results[index]!;
    if (job.kind === 'reference') referenceBySeed.set(job.seed, result);
    if (job.kind === 'reference') steps.push(referenceStep(result));
    if (job.kind === 'determinism') steps.push(determinismStep(referenceBySeed.get(job.seed)!, result));
    if (job.kind === 'starter') steps.push(starterStep(result));
  });
  const graded = jobs.flatMap((job, index) => (job.kind === 'mutant' ? [{ mutant: job.mutant, seed: job.seed, result: results[index]! }] : []));
  steps.push(...mutantSteps(graded));

  const matrix = buildKillMatrix(checks, graded.map(({ mutant, seed, result }) => ({ mutant: mutant.name, catches: mutant.catches, seed, result })));
  const isBroken = steps.some((step) => step.graderError);
  return { lab: lab.id, ok: problems.length === 0 && steps.every((step) => step.ok), broken: isBroken, problems, seeds, steps, matrix };
}

function step(kind: ValidationStepKind, name: string, result: GradeResult, ok: boolean, message: string): ValidationStep {
  return {
    kind,
    name,
    seed: result.seed,
    ok,
    message,
    score: result.score,
    maxScore: result.maxScore,
    ...(result.status === 'error' ? { graderError: true } : {}),
    durationMs: result.durationMs,
  };
}

function referenceStep(result: GradeResult): ValidationStep {
  const ok = result.status === 'pass' && result.score === result.maxScore;
  return step('reference', 'reference', result, ok, ok ? 'full marks' : describeShortfall(result));
}

function determinismStep(first: GradeResult, second: GradeResult): ValidationStep {
  const differences = compareGradings(first, second);
  const ok = differences.length === 0 && second.status !== 'error';
  const message = second.status === 'error'
    ? second.message
    : ok
      ? 'graded twice: identical check results'
      : `graded twice, different results (randomness outside random(stream), or a check that depends on timing): ${describeDifferences(differences)}`;
  return step('determinism', 'reference', second, ok, message);
}

function starterStep(starter: GradeResult): ValidationStep {
  const runs = starter.run.status !== 'build-error' && starter.run.status !== 'timeout';
  const ok = runs && starter.status !== 'error' && starter.score < starter.maxScore;
  const message = ok
    ? 'runs and does not pass'
    : starter.status === 'error'
      ? starter.message
      : !runs
        ? `must run: ${starter.run.status}${starter.run.buildError ? ` (${starter.run.buildError.split('\n')[0]})` : ''}`
        : 'gets full marks; a starter must leave the work to the trainee';
  return step('starter', 'starter', starter, ok, message);
}

/** One step per mutant and seed; a mutant caught on some seeds only is named with both sets of seeds. */
function mutantSteps(graded: Array<{ mutant: Mutant; seed: number; result: GradeResult }>): ValidationStep[] {
  const caughtOn = (entry: (typeof graded)[number]) => {
    const check = entry.result.checks.find((candidate) => candidate.id === entry.mutant.catches);
    return check !== undefined && check.status === 'fail' && check.score < check.points;
  };
  return graded.map((entry) => {
    const { mutant, seed, result } = entry;
    const check = result.checks.find((candidate) => candidate.id === mutant.catches);
    const caught = caughtOn(entry);
    const siblings = graded.filter((other) => other.mutant.name === mutant.name);
    const caughtSeeds = siblings.filter(caughtOn).map((other) => other.seed);
    const partly = !caught && caughtSeeds.length > 0
      ? `; caught on seed ${caughtSeeds.join(', ')} only: the situation that exposes this mistake must arise on every seed`
      : '';
    const message = result.status === 'error'
      ? result.message
      : caught
        ? `"${mutant.mistake}" caught by ${mutant.catches} (${check!.score}/${check!.points})`
        : `"${mutant.mistake}" not caught on seed ${seed}: check ${mutant.catches} ${check ? `scored ${check.score}/${check.points}` : 'did not run'}${partly}`;
    return step('mutant', mutant.name, result, caught && result.status !== 'error', message);
  });
}

function describeShortfall(result: GradeResult): string {
  if (result.status === 'error') return result.message;
  const failed = result.checks.filter((check) => check.status !== 'pass');
  const first = failed[0];
  const detail = first ? `${first.id}: expected ${first.expected ?? '?'}, got ${first.actual ?? '?'}` : '';
  return `${result.score}/${result.maxScore}${result.run.status !== 'ok' ? ` (run: ${result.run.status})` : ''}; ${detail}`;
}
