import type { Random } from '../../mock-systems/platform/random.ts';
import type { LabEnvironment } from '../environment/environment.ts';
import type { LabManifest } from '../labs/manifest.ts';
import type { Submission, SubmissionRun } from '../runner/submission.ts';

/** What setup gets: the seed, seeded randomness and the running environment. */
export interface ScenarioContext {
  seed: number;
  lab: LabManifest;
  env: LabEnvironment;
  /** A seeded generator for one purpose; the same seed and stream give the same draws. */
  random(stream: string): Random;
}

/** What drive gets: the above plus what setup returned. */
export interface DriveContext<Setup> extends ScenarioContext {
  setup: Setup;
  /**
   * Which checks will run: `public` for `lab check`, `all` for `lab grade`. A drive that
   * exercises hidden datasets skips them for `public`, so nothing about them reaches the trainee.
   */
  checks: 'public' | 'all';
  /**
   * Whoever started the grading chose the seed (`lab grade --seed`): it is the seed the trainee
   * was given. A lab whose answers name the seed they were written for (a per-seed handout) grades
   * the run's seed then, and answers naming another are told so; otherwise it may grade the seed
   * the answers name (a trainee's own practice, `lab validate`).
   */
  seedGiven: boolean;
}

/** What a check gets: the above plus everything the submission did. */
export interface CheckContext<Setup, Outputs> extends DriveContext<Setup> {
  submission: SubmissionRun;
  /** What drive returned (for entries without a drive: the run, query results or answers). */
  outputs: Outputs;
}

export interface CheckOutcome {
  passed: boolean;
  /** Partial credit, 0..points. Defaults to all points when passed, none when not. */
  score?: number;
  /** What a correct submission would have done, computed from the seeded data. */
  expected?: string;
  /** What this submission did. */
  actual?: string;
  /** Teaches without giving the answer. */
  hint?: string;
}

export type Visibility = 'public' | 'hidden';

export interface Check<Setup = unknown, Outputs = unknown> {
  /** Stable, kebab-case; mutants name it in `catches`. */
  id: string;
  title: string;
  points: number;
  /** Public checks run in `lab check`; hidden ones only in `lab grade`. */
  visibility: Visibility;
  /** The mistake or skill this check targets, shown as a tag (e.g. "PII in logs"). */
  targets?: string;
  /** The brief's task number the check belongs to (Exercism's task_id); defaults to its position. */
  task?: number;
  run(context: CheckContext<Setup, Outputs>): CheckOutcome | Promise<CheckOutcome>;
}

export interface Scenario<Setup = unknown, Outputs = unknown> {
  /** Seeds data and installs fault rules; runs before the submission. */
  setup?(context: ScenarioContext): Setup | Promise<Setup>;
  /**
   * Runs the submission: calls a module's export with generated inputs, runs a command,
   * produces events and restarts a consumer… Optional for command, sql and answers entries
   * (the default runs the command once, runs the queries, reads the answers).
   */
  drive?(context: DriveContext<Setup>, submission: Submission): Outputs | Promise<Outputs>;
  checks: Check<Setup, Outputs>[];
}

/** Gives a scenario module its types; `export default defineScenario({...})`. */
export function defineScenario<Setup = undefined, Outputs = unknown>(scenario: Scenario<Setup, Outputs>): Scenario<Setup, Outputs> {
  return scenario;
}

/**
 * Gives a checks file its types: `export default defineChecks<Setup, Outputs>([...])` in a
 * lab's hidden/checks.ts, whose checks the loader appends to the scenario's public ones.
 */
export function defineChecks<Setup = undefined, Outputs = unknown>(checks: Check<Setup, Outputs>[]): Check<Setup, Outputs>[] {
  return checks;
}
