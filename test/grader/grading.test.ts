import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyEnvironment, type StartEnvironment } from '../../grader/grading/environment-factory.ts';
import { gradeLab } from '../../grader/grading/grade-lab.ts';
import { prepareLabEnvironment } from '../../grader/grading/lab-session.ts';
import type { GradeResult } from '../../grader/grading/result.ts';
import { findLab } from '../../grader/labs/catalogue.ts';
import { CONTACTS, FIXTURE_LABS, FIXTURE_SOLUTIONS, HOSTILE, scratchLabs, submissionWith, TOTALS } from './helpers.ts';

const totals = findLab(FIXTURE_LABS, TOTALS);
const contacts = findLab(FIXTURE_LABS, CONTACTS);

/** What must not change between two runs with one seed: everything but timings. */
function stable(result: GradeResult) {
  return {
    score: result.score,
    checks: result.checks.map(({ durationMs: _ignored, ...check }) => check),
    stdout: result.run.stdout,
  };
}

/** An environment factory that records how often environments were started and stopped. */
function countingEnvironment(): { start: StartEnvironment; started: number; stopped: number } {
  const counter = {
    started: 0,
    stopped: 0,
    start: (async ({ seed }) => {
      counter.started += 1;
      return { ...emptyEnvironment(seed), stop: async () => void (counter.stopped += 1) };
    }) as StartEnvironment,
  };
  return counter;
}

describe('gradeLab', () => {
  it('gives the reference full marks and the same result for the same seed', async () => {
    const first = await gradeLab(totals, join(FIXTURE_SOLUTIONS, TOTALS), { seed: 11 });
    expect(first).toMatchObject({ status: 'pass', score: 30, maxScore: 30, seed: 11, checksRun: 'all' });
    const again = await gradeLab(totals, join(FIXTURE_SOLUTIONS, TOTALS), { seed: 11 });
    expect(stable(again)).toEqual(stable(first));
  });

  it('computes expected values from the seed, so another seed expects other values', async () => {
    const one = await gradeLab(totals, totals.starterDir, { seed: 1 });
    const two = await gradeLab(totals, totals.starterDir, { seed: 2 });
    expect(one.status).toBe('fail');
    const expected = (result: GradeResult) => result.checks.find((check) => check.id === 'discounts')?.expected;
    expect(expected(one)).toBeDefined();
    expect(expected(one)).not.toEqual(expected(two));
  });

  it('runs only public checks for lab check', async () => {
    const result = await gradeLab(totals, totals.starterDir, { seed: 3, checks: 'public' });
    expect(result.checks.map((check) => check.id)).toEqual(['plain-totals', 'cents']);
    expect(result.maxScore).toBe(20);
    expect(result.checks.map((check) => check.task)).toEqual([1, 3]);
  });

  it('gives partial credit with expected, actual and hint', async () => {
    const result = await gradeLab(contacts, join(FIXTURE_SOLUTIONS, CONTACTS, 'mutants/logs-email'), { seed: 5 });
    const leak = result.checks.find((check) => check.id === 'no-pii-in-output');
    expect(leak).toMatchObject({ status: 'fail', score: 0, hint: expect.stringContaining('Debug logging') });
    expect(leak?.actual).toContain('8 email addresses printed');
    expect(result.score).toBe(10);
  });

  it('reports a crash as a crash, with the points it cost', async () => {
    const result = await gradeLab(contacts, join(HOSTILE, 'crash'), { seed: 5 });
    expect(result.run).toMatchObject({ status: 'crash', exitCode: 1, crashed: true, pointsLost: 20 });
    expect(result.checks.every((check) => check.cause === 'crash')).toBe(true);
    expect(result.message).toContain('The submission crashed (it exited with code 1); 20 points lost');
    expect(result.run.stderr).toContain('boom: cannot parse input');
  });

  it('reports a timeout as a timeout', async () => {
    const result = await gradeLab(contacts, join(HOSTILE, 'infinite-loop'), { seed: 5 });
    expect(result.run).toMatchObject({ status: 'timeout', timedOut: true, pointsLost: 20 });
    expect(result.message).toContain('stopped at the 3 s time limit');
  });

  it('reports a build error as a build error', async () => {
    const broken = submissionWith({ 'src/totals.ts': 'export function orderTotal( {\n' });
    try {
      const result = await gradeLab(totals, broken.dir, { seed: 5 });
      expect(result.status).toBe('fail');
      expect(result.run.status).toBe('build-error');
      expect(result.run.buildError).toMatch(/^src\/totals\.ts:\d+:\d+: /);
      expect(result.message).toContain('did not build');
    } finally {
      broken.dispose();
    }
  });

  it('stops the environment after a normal run', async () => {
    const environment = countingEnvironment();
    await gradeLab(totals, join(FIXTURE_SOLUTIONS, TOTALS), { seed: 2, startEnvironment: environment.start });
    expect([environment.started, environment.stopped]).toEqual([1, 1]);
  });
});

describe('lab errors are grader errors, not trainee failures', () => {
  it('reports a check that throws as a grader error and keeps the other checks', async () => {
    const scratch = scratchLabs();
    try {
      const path = `labs/${CONTACTS}/scenario.ts`;
      const source = readFileSync(join(scratch.labsDir, '..', path), 'utf8');
      scratch.write(path, source.replace("run({ setup, submission }) {", "run({ setup, submission }) {\n        if (setup.length > 0) throw new Error('journal unreachable');"));
      const lab = findLab(scratch.labsDir, CONTACTS);
      const environment = countingEnvironment();
      const result = await gradeLab(lab, join(scratch.solutionsDir, CONTACTS), { seed: 4, startEnvironment: environment.start });
      expect(result.status).toBe('error');
      expect(result.checks.find((check) => check.id === 'no-pii-in-output')).toMatchObject({ status: 'error', error: 'journal unreachable' });
      expect(result.checks.find((check) => check.id === 'one-line-per-contact')?.status).toBe('pass');
      expect(result.graderErrors).toEqual(['no-pii-in-output: journal unreachable']);
      expect(environment.stopped).toBe(1);
    } finally {
      scratch.dispose();
    }
  });

  it('reports a failing setup or drive as a grader error and still stops the environment', async () => {
    const scratch = scratchLabs();
    try {
      const path = `labs/${TOTALS}/scenario.ts`;
      const source = readFileSync(join(scratch.labsDir, '..', path), 'utf8');
      scratch.write(path, source.replace("const draw = random('orders');", "throw new Error('seed data missing');"));
      const environment = countingEnvironment();
      const setupFailure = await gradeLab(findLab(scratch.labsDir, TOTALS), join(scratch.solutionsDir, TOTALS), { seed: 4, startEnvironment: environment.start });
      expect(setupFailure.status).toBe('error');
      expect(setupFailure.graderErrors).toEqual(['scenario setup failed: seed data missing']);
      expect(environment.stopped).toBe(1);

      scratch.write(path, source.replace('return submission.call(', "throw new Error('broker down'); return submission.call("));
      const driveFailure = await gradeLab(findLab(scratch.labsDir, TOTALS), join(scratch.solutionsDir, TOTALS), { seed: 4, startEnvironment: environment.start });
      expect(driveFailure.status).toBe('error');
      expect(driveFailure.checks.every((check) => check.status === 'error' && check.error?.includes('scenario drive failed: broker down'))).toBe(true);
      expect([environment.started, environment.stopped]).toEqual([2, 2]);
    } finally {
      scratch.dispose();
    }
  });

  it('throws when the environment does not start', async () => {
    const failing: StartEnvironment = async () => {
      throw new Error('port 5432 in use');
    };
    await expect(gradeLab(totals, join(FIXTURE_SOLUTIONS, TOTALS), { seed: 1, startEnvironment: failing })).rejects.toThrow('port 5432 in use');
  });
});

describe('prepareLabEnvironment', () => {
  it('starts the environment and returns what setup made, for lab start', async () => {
    const environment = countingEnvironment();
    const session = await prepareLabEnvironment(totals, { seed: 9, startEnvironment: environment.start });
    try {
      expect(session.env.variables.LAB_SEED).toBe('9');
      expect(session.setup).toHaveLength(12);
    } finally {
      await session.stop();
    }
    expect(environment.stopped).toBe(1);
  });
});
