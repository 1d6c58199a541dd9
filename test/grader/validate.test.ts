import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, UsageError } from '../../grader/cli/command.ts';
import { validateCommand } from '../../grader/cli/commands/validate.ts';
import { createLimiter, mapWithLimit } from '../../grader/grading/bounded-pool.ts';
import { compareGradings } from '../../grader/grading/determinism.ts';
import { defaultStartEnvironment, type StartEnvironment } from '../../grader/grading/environment-factory.ts';
import { environmentPool } from '../../grader/grading/environment-pool.ts';
import { gradeLab } from '../../grader/grading/grade-lab.ts';
import { scenarioRandom } from '../../grader/grading/lab-session.ts';
import { validateSetups } from '../../grader/grading/setup-only.ts';
import { validateLab } from '../../grader/grading/validate-lab.ts';
import { planValidationSeeds } from '../../grader/grading/validation-seeds.ts';
import { findLab } from '../../grader/labs/catalogue.ts';
import { loadScenario } from '../../grader/labs/load-scenario.ts';
import { formatKillMatrix } from '../../grader/reporters/validation-terminal.ts';
import { CONTACTS, FIXTURE_LABS, FIXTURE_SOLUTIONS, REPO, scratchLabs, TOTALS } from './helpers.ts';

/** Labs that are wrong on purpose (test/fixtures/flawed/README.md). */
const FLAWED_LABS = join(REPO, 'test/fixtures/flawed/labs');
const RANDOM_SETUP = '92-fixture-random-setup';
const SEED_FLAWS = '93-fixture-seed-flaws';
const LEFTOVERS = '94-fixture-leftovers';

/** The same three "random" seeds every time, so the test can name them. */
function pinnedDraws(...seeds: number[]): () => number {
  let index = 0;
  return () => seeds[index++ % seeds.length]!;
}

/** Runs `lab validate` in-process as main() does: the exit code and what it printed. */
async function validateCli(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  try {
    return { code: await validateCommand.run(argv), stdout };
  } catch (error) {
    if (error instanceof UsageError) return { code: EXIT_CODES.usage, stdout };
    throw error;
  } finally {
    process.stdout.write = write;
  }
}

describe('lab validate', () => {
  it('accepts the fixture labs: reference on fixed and random seeds, reproducible, starter, mutants', async () => {
    for (const id of [TOTALS, CONTACTS]) {
      const validation = await validateLab(findLab(FIXTURE_LABS, id), { drawSeed: pinnedDraws(7001, 7002, 7003) });
      expect(validation.problems).toEqual([]);
      expect(validation.steps.filter((step) => !step.ok)).toEqual([]);
      expect(validation.steps.filter((step) => step.kind === 'reference').map((step) => step.seed)).toEqual([1, 2, 3, 4, 5, 7001, 7002, 7003]);
      expect(validation.steps.filter((step) => step.kind === 'determinism').map((step) => step.seed)).toEqual([1]);
      const mutantSteps = validation.steps.filter((step) => step.kind === 'mutant');
      expect(mutantSteps.length).toBeGreaterThanOrEqual(4);
      expect(new Set(mutantSteps.map((step) => step.seed))).toEqual(new Set([1, 7001]));
      expect(validation).toMatchObject({ ok: true, broken: false });
    }
  });

  it('plans fixed seeds, distinct random ones, and mutant seeds from both; a seed list is taken as it is', () => {
    const plan = planValidationSeeds({ draw: pinnedDraws(3, 900, 900, 901, 902) });
    expect(plan.fixed).toEqual([1, 2, 3, 4, 5]);
    expect(plan.random).toEqual([900, 901, 902]);
    expect(plan.mutants).toEqual([1, 900]);
    expect(planValidationSeeds({ randomCount: 0 }).mutants).toEqual([1, 2]);
    expect(planValidationSeeds({ seeds: [42, 12, 42] })).toMatchObject({ reference: [42, 12], random: [], mutants: [42, 12], determinism: 42 });
  });

  it('fails a lab whose mutant is not caught, whose starter passes, or with too few mutants', async () => {
    const scratch = scratchLabs();
    try {
      const lab = findLab(scratch.labsDir, TOTALS);
      // A "mutant" that is really the reference: the check it names cannot catch it.
      cpSync(join(lab.solutionDir, 'src'), join(lab.mutantsDir, 'no-rounding', 'src'), { recursive: true });
      // A starter that already solves the lab.
      cpSync(join(lab.solutionDir, 'src'), join(lab.starterDir, 'src'), { recursive: true });
      const validation = await validateLab(lab, { seeds: [1, 2, 3, 4, 5], mutantSeedCount: 1 });
      expect(validation).toMatchObject({ ok: false, broken: false });
      const failed = validation.steps.filter((step) => !step.ok);
      expect(failed.map((step) => `${step.kind}:${step.name}`)).toEqual(['starter:starter', 'mutant:no-rounding']);
      expect(failed[1]?.message).toContain('not caught on seed 1: check cents scored 10/10');

      rmSync(join(lab.mutantsDir, 'no-rounding'), { recursive: true });
      const tooFew = await validateLab(lab, { mutantSeedCount: 1, randomSeeds: 0 });
      expect(tooFew.problems[0]).toContain('1 mutant(s)');
    } finally {
      scratch.dispose();
    }
  });

  it('points at a mutant.yaml that names a check that does not exist', async () => {
    const scratch = scratchLabs();
    try {
      scratch.write(`solutions/${CONTACTS}/mutants/wrong-mask/mutant.yaml`, 'catches: one-line-per-contacts\nmistake: Keeps two letters.\n');
      const validation = await validateLab(findLab(scratch.labsDir, CONTACTS), { mutantSeedCount: 1 });
      expect(validation).toMatchObject({ ok: false, broken: true });
      expect(validation.problems[0]).toContain('/catches: no check "one-line-per-contacts" (did you mean "one-line-per-contact"?)');
    } finally {
      scratch.dispose();
    }
  });
});

describe('lab validate: the grading pool', () => {
  it('keeps at most the limit in flight, shared between callers, and the results in order', async () => {
    const limiter = createLimiter(2);
    let active = 0;
    let most = 0;
    const task = async (value: number) => {
      active++;
      most = Math.max(most, active);
      await new Promise((resolve) => setImmediate(resolve));
      active--;
      return value * 10;
    };
    const [a, b] = await Promise.all([mapWithLimit([1, 2, 3], limiter, task), mapWithLimit([4, 5], limiter, task)]);
    expect([a, b]).toEqual([[10, 20, 30], [40, 50]]);
    expect(most).toBe(2);
    expect(() => createLimiter(0)).toThrow('whole number of slots');
  });
});

describe('lab validate: reproducible grades', () => {
  it('fails a lab whose setup uses Math.random, naming the check and both values', async () => {
    const validation = await validateLab(findLab(FLAWED_LABS, RANDOM_SETUP), { seeds: [1] });
    const failed = validation.steps.filter((step) => !step.ok);
    expect(failed.map((step) => `${step.kind}:${step.seed}`)).toEqual(['determinism:1']);
    expect(failed[0]?.message).toMatch(/doubles actual: "5 of 5 doubled \(first input \d+\)" then "5 of 5 doubled \(first input \d+\)"/);
    expect(validation).toMatchObject({ ok: false, broken: false });
  });

  it('ignores durations, timestamps and measured times, and notices a changed score or count', async () => {
    const lab = findLab(FIXTURE_LABS, TOTALS);
    const first = await gradeLab(lab, join(FIXTURE_SOLUTIONS, TOTALS), { seed: 3 });
    const second = await gradeLab(lab, join(FIXTURE_SOLUTIONS, TOTALS), { seed: 3 });
    expect(compareGradings(first, { ...second, durationMs: 1, startedAt: 'then', checks: second.checks.map((check) => ({ ...check, durationMs: 99 })) })).toEqual([]);
    const changed = { ...second, checks: second.checks.map((check, index) => (index === 1 ? { ...check, score: 4 } : check)) };
    expect(compareGradings(first, changed)).toEqual([{ check: second.checks[1]!.id, field: 'score', first: '10', second: '4' }]);
    // Measured times move with the machine's load; other numbers must match.
    const texts = (actual: string) => ({ ...first, checks: first.checks.map((check, index) => (index === 0 ? { ...check, actual } : check)) });
    expect(compareGradings(texts('second call 2.7 s after the first, spread 38%, 120ms'), texts('second call 2.6 s after the first, spread 54%, 95ms'))).toEqual([]);
    expect(compareGradings(texts('3 of 12 wrong'), texts('4 of 12 wrong'))).toHaveLength(1);
  });
});

describe('lab validate: every seed', () => {
  it('names the seeds on which a mutant escapes when other seeds catch it', async () => {
    const validation = await validateLab(findLab(FLAWED_LABS, SEED_FLAWS), { seeds: [1, 2] });
    const failed = validation.steps.filter((step) => !step.ok);
    expect(failed.map((step) => `${step.name}:${step.seed}`)).toEqual(['wrong-on-odd-seeds:2']);
    expect(failed[0]?.message).toContain('not caught on seed 2: check doubles scored 10/10; caught on seed 1 only');
  });

  it('setup-only reports every seed whose setup throws, with its message', async () => {
    const done: number[] = [];
    const setups = await validateSetups(findLab(FLAWED_LABS, SEED_FLAWS), [1, 2, 3, 4, 5, 6, 7, 8], { concurrency: 2, onSeed: (count) => done.push(count) });
    expect(setups.failures).toEqual([3, 7].map((seed) => ({ seed, message: 'the seed gives 5 values; this lab needs at least 6' })));
    expect(setups.seeds).toHaveLength(8);
    expect(done).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('setup-only restores CRM data, faults and clock, Kafka topics and the database between seeds', { timeout: 120_000 }, async () => {
    const lab = findLab(FLAWED_LABS, LEFTOVERS);
    // The fixture notices leftovers: its setup run twice on one environment throws.
    const scenario = await loadScenario(lab);
    const env = await defaultStartEnvironment({ services: lab.manifest.services, seed: 1 });
    try {
      const context = { seed: 1, lab: lab.manifest, env, random: scenarioRandom(lab, 1) };
      await scenario.setup!(context);
      await expect(scenario.setup!(context)).rejects.toThrow(/not a fresh environment: 3 CRM contacts, not 50; CRM data of another seed than 1; CRM fault rules; CRM journal entries; CRM clock moved; topics leftover; schema leftover; database setting lab.leftover/);
    } finally {
      await env.stop();
    }
    // Two workers: each environment starts with the seed its first setup gets, then is restored.
    const setups = await validateSetups(lab, [1, 2, 3, 4, 5], { concurrency: 2 });
    expect(setups.failures).toEqual([]);
  });

  it('grades on pooled services: started once per grading in flight, restored before each', { timeout: 120_000 }, async () => {
    const lab = findLab(FLAWED_LABS, LEFTOVERS);
    let starts = 0;
    const counted: StartEnvironment = (options) => ((starts += 1), defaultStartEnvironment(options));
    const pool = environmentPool(counted);
    try {
      // Two at a time, then two more: the second pair gets the first pair's services back.
      const results = await mapWithLimit([11, 12, 13, 14], createLimiter(2), (seed) => gradeLab(lab, lab.starterDir, { seed, startEnvironment: pool.start }));
      // The fixture's setup throws on anything a fresh start would not give it.
      expect(results.map((result) => [result.seed, result.status, result.graderErrors])).toEqual([11, 12, 13, 14].map((seed) => [seed, 'pass', []]));
      expect(starts).toBe(2);
    } finally {
      await pool.dispose();
    }
  });
});

describe('lab validate: kill matrix', () => {
  it('records which check took how many points from which mutant, on each seed', async () => {
    const events: Array<Record<string, unknown>> = [];
    const validation = await validateLab(findLab(FIXTURE_LABS, TOTALS), { seeds: [1, 2], onProgress: (event) => events.push(event) });
    // Reference on 2 seeds, the regrade, the starter, 2 mutants on 2 seeds: one progress event each.
    expect(events[0]).toEqual({ lab: TOTALS, planned: 8 });
    expect(events.filter((event) => 'graded' in event)).toHaveLength(validation.steps.length);
    const matrix = validation.matrix!;
    expect(matrix.checks.map((check) => check.id)).toEqual(['plain-totals', 'discounts', 'cents']);
    const noRounding = matrix.mutants.find((row) => row.mutant === 'no-rounding')!;
    expect(noRounding).toMatchObject({ catches: 'cents', seeds: [1, 2] });
    expect(noRounding.lost.cents).toEqual([10, 10]);
    expect(matrix.mutants.find((row) => row.mutant === 'ignores-discount')?.lost).toEqual({ discounts: [10, 10] });
    const table = formatKillMatrix(matrix).join('\n');
    expect(table).toMatch(/ignores-discount +\. +\[-10\] +\./);
    expect(table).toContain('checks: 1 plain-totals (10), 2 discounts (10), 3 cents (10)');
  });
});

describe('lab validate: exit codes (docs/grader.md)', () => {
  const flawed = ['--labs-dir', FLAWED_LABS];

  it('0 valid, 1 a failed step, 2 usage, 3 a broken scenario', async () => {
    expect((await validateCli(['91', '--labs-dir', FIXTURE_LABS, '--random-seeds', '0'])).code).toBe(EXIT_CODES.ok);
    expect((await validateCli(['93', '--seed', '1,2', ...flawed])).code).toBe(EXIT_CODES.failed);
    const broken = await validateCli(['93', '--seed', '3', ...flawed]);
    expect(broken.code).toBe(EXIT_CODES.error);
    expect(broken.stdout).toContain('scenario setup failed: the seed gives 5 values');
    expect((await validateCli(['93', '--setup-only', '--seed', '1,3', ...flawed])).code).toBe(EXIT_CODES.error);
    expect((await validateCli(['93', '--setup-only', '--seed', '1,2', ...flawed])).code).toBe(EXIT_CODES.ok);
    expect((await validateCli(['93', '--seed', '1', '--seeds', '6', ...flawed])).code).toBe(EXIT_CODES.usage);
    expect((await validateCli(['93', '--seed', '1,x', ...flawed])).code).toBe(EXIT_CODES.usage);
  });

  it('prints the kill matrix with --matrix and carries it in --json', async () => {
    const text = await validateCli(['90', '--labs-dir', FIXTURE_LABS, '--seed', '1,2', '--matrix']);
    expect(text.stdout).toContain('kill matrix');
    const json = await validateCli(['90', '--labs-dir', FIXTURE_LABS, '--seed', '1,2', '--json']);
    expect(JSON.parse(json.stdout)[0].matrix.mutants.map((row: { mutant: string }) => row.mutant)).toEqual(['ignores-discount', 'no-rounding']);
  });
});
