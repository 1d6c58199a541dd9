import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradescopeResults } from '../../grader/reporters/gradescope.ts';
import type { ExercismResults } from '../../grader/reporters/exercism.ts';
import { autograderLayout, readResults, submissionCopy } from './autograder-layout.ts';
import { FIXTURE_LABS, REPO, TOTALS } from './helpers.ts';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const schema = (name: string) => JSON.parse(readFileSync(join(REPO, 'test/fixtures/platforms', name), 'utf8')) as object;
const gradescopeSchema = ajv.compile(schema('gradescope-results.schema.json'));
const exercismSchema = ajv.compile(schema('exercism-results-v3.schema.json'));

const scratch = mkdtempSync(join(tmpdir(), 'lab-adapters-'));
const zip = join(scratch, 'autograder.zip');
const LAB_01 = join(REPO, 'labs/01-customer-mapping');

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A submission folder for lab 01: the reference, the starter, or the starter's entry replaced. */
function submission(name: string, from: string, main?: string): string {
  return submissionCopy(join(scratch, 'submissions', name), from, main);
}

/** Gradescope's container layout rooted in a temp dir, run_autograder run as Gradescope runs it. */
function runAutograder(name: string, submissionDir: string, env: Record<string, string> = {}, breakSource?: (source: string) => void) {
  const { root, results: file } = autograderLayout(join(scratch, 'autograder', name), zip, submissionDir);
  breakSource?.(join(root, 'source'));
  const run = spawnSync(join(root, 'source/run_autograder'), [], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: root, AUTOGRADER_ROOT: root, ...env }, timeout: 240_000 });
  if (!existsSync(file)) throw new Error(`run_autograder wrote no results (exit ${run.status}): ${run.stderr}`);
  const results = readResults<GradescopeResults>(file);
  expect(gradescopeSchema(results), JSON.stringify(gradescopeSchema.errors)).toBe(true);
  return { run, results };
}

describe('lab export gradescope', { timeout: 240_000 }, () => {
  beforeAll(() => {
    const exported = spawnSync(process.execPath, ['bin/lab.js', 'export', 'gradescope', '01', '--out', zip], { cwd: REPO, encoding: 'utf8' });
    if (exported.status !== 0) throw new Error(`lab export failed: ${exported.stderr}`);
  });

  it('writes a zip with setup.sh and run_autograder at its root, the lab with its hidden checks, and no solutions', () => {
    const listing = spawnSync('unzip', ['-Z', zip], { encoding: 'utf8' }).stdout;
    expect(listing).toMatch(/^-rwxr-xr-x .* setup\.sh$/m);
    expect(listing).toMatch(/^-rwxr-xr-x .* run_autograder$/m);
    expect(listing).toMatch(/ labs\/01-customer-mapping\/scenario\.ts$/m);
    expect(listing).toMatch(/ labs\/01-customer-mapping\/hidden\/checks\.ts$/m);
    expect(listing).toMatch(/ package-lock\.json$/m);
    expect(listing).not.toMatch(/ solutions\//);
    expect(listing).not.toMatch(/ labs\/02-/);
    expect(listing).not.toMatch(/node_modules/);
  });

  it('grades a correct submission in the documented layout: full marks', () => {
    const { run, results } = runAutograder('correct', submission('correct', join(REPO, 'solutions/01-customer-mapping')));
    expect(run.status).toBe(0);
    expect(results.score).toBe(100);
    expect(results.tests.every((test) => test.status === 'passed')).toBe(true);
  });

  it('grades a wrong submission: points lost, and each failed test says why', () => {
    const { run, results } = runAutograder('wrong', submission('wrong', join(LAB_01, 'starter')));
    expect(run.status).toBe(0);
    expect(results.score).toBeLessThan(100);
    const failed = results.tests.filter((test) => test.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const test of failed) expect(test.output.length).toBeGreaterThan(10);
  });

  it('grades a crashing submission: the crash and its output reach the student', () => {
    const { run, results } = runAutograder('crashing', submission('crashing', join(LAB_01, 'starter'), "throw new Error('boom: the mapping blew up');\n"));
    expect(run.status).toBe(0);
    expect(results.score).toBe(0);
    expect(results.output).toContain('Crash');
    expect(results.output).toContain('boom: the mapping blew up');
  });

  it('grades a submission that does not build: the compiler message with its location', () => {
    const { run, results } = runAutograder('unbuilt', submission('unbuilt', join(LAB_01, 'starter'), 'const broken = ;\n'));
    expect(run.status).toBe(0);
    expect(results.score).toBe(0);
    expect(results.output).toContain('Build error');
    expect(results.output).toMatch(/src\/main\.ts:1:\d+/);
  });

  it('still writes results when grading is stopped at its time limit or the grader cannot start', () => {
    const stopped = runAutograder('stopped', submission('stopped', join(REPO, 'solutions/01-customer-mapping')), { LAB_GRADING_TIMEOUT_SECONDS: '1' });
    expect(stopped.run.status).toBe(0);
    expect(stopped.results.score).toBe(0);
    const broken = runAutograder('no-grader', submission('no-grader', join(LAB_01, 'starter')), {}, (source) => rmSync(join(source, 'bin/lab.js')));
    expect(broken.run.status).toBe(0);
    expect(broken.results).toMatchObject({ score: 0, tests: [] });
    expect(broken.results.output).toContain('tell your instructor');
  });
});

describe('Exercism runner (grader/adapters/exercism/run.sh)', { timeout: 180_000 }, () => {
  const runSh = join(REPO, 'grader/adapters/exercism/run.sh');
  function runExercism(slug: string, solution: string, name: string) {
    const output = join(scratch, 'exercism', name);
    const run = spawnSync(runSh, [slug, `${solution}/`, `${output}/`], { encoding: 'utf8', env: { ...process.env, LAB_LABS_DIR: FIXTURE_LABS }, timeout: 120_000 });
    const results = JSON.parse(readFileSync(join(output, 'results.json'), 'utf8')) as ExercismResults;
    expect(exercismSchema(results), JSON.stringify(exercismSchema.errors)).toBe(true);
    return { run, results };
  }

  it('writes results.json v3 and exits 0 for a failing solution', () => {
    const { run, results } = runExercism('fixture-order-totals', join(FIXTURE_LABS, TOTALS, 'starter'), 'failing');
    expect(run.status).toBe(0);
    expect(results.status).toBe('fail');
  });

  it('gives status error with the compiler message for a solution that does not build, and exits 0', () => {
    const dir = join(scratch, 'submissions', 'exercism-unbuilt');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'src/totals.ts'), 'export function orderTotal( {\n');
    const { run, results } = runExercism(TOTALS, dir, 'unbuilt');
    expect(run.status).toBe(0);
    expect(results.status).toBe('error');
    expect(results.message).toMatch(/src\/totals\.ts:\d+:\d+/);
  });

  it('lab grade keeps its exit codes for people, and --exit-zero gives 0 on any verdict', () => {
    const grade = (...extra: string[]) =>
      spawnSync(process.execPath, ['bin/lab.js', 'grade', TOTALS, join(FIXTURE_LABS, TOTALS, 'starter'), '--labs-dir', FIXTURE_LABS, '--seed', '3', '--format', 'exercism', '--out', join(scratch, 'exit-codes.json'), ...extra], { cwd: REPO, encoding: 'utf8' });
    expect(grade().status).toBe(1);
    expect(grade('--exit-zero').status).toBe(0);
    expect(grade('--exit-zero', '--format-typo').status).toBe(2);
  });

  it('answers an unknown exercise with status error, still exit 0', () => {
    const { run, results } = runExercism('no-such-exercise', join(FIXTURE_LABS, TOTALS, 'starter'), 'unknown');
    expect(run.status).toBe(0);
    expect(results.status).toBe('error');
    expect(results.message).toContain('no-such-exercise');
  });
});
