import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeLab } from '../../grader/grading/grade-lab.ts';
import type { GradeResult } from '../../grader/grading/result.ts';
import { findLab } from '../../grader/labs/catalogue.ts';
import { formatClassroom, toClassroom } from '../../grader/reporters/classroom.ts';
import { formatExercism, toExercism } from '../../grader/reporters/exercism.ts';
import { WITHHELD } from '../../grader/reporters/feedback.ts';
import { formatGradescope, toGradescope } from '../../grader/reporters/gradescope.ts';
import { formatJunit } from '../../grader/reporters/junit.ts';
import { formatMarkdown } from '../../grader/reporters/markdown.ts';
import { formatTerminal } from '../../grader/reporters/terminal.ts';
import { CONTACTS, FIXTURE_LABS, FIXTURE_SOLUTIONS, HOSTILE, REPO, submissionWith, TOTALS } from './helpers.ts';

const PLATFORMS = join(REPO, 'test/fixtures/platforms');
const schema = (name: string) => JSON.parse(readFileSync(join(PLATFORMS, name), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const exercismSchema = ajv.compile(schema('exercism-results-v3.schema.json'));
const gradescopeSchema = ajv.compile(schema('gradescope-results.schema.json'));

let passing: GradeResult;
let failing: GradeResult;
let failingOtherSeed: GradeResult;
let crashed: GradeResult;
let unbuilt: GradeResult;
const broken = submissionWith({ 'src/totals.ts': 'export function orderTotal(order) {\n  return order.lines.reduce((sum, line) => sum + line.price *, 0);\n}\n' });
const scratch = mkdtempSync(join(tmpdir(), 'lab-platform-formats-'));

beforeAll(async () => {
  const totals = findLab(FIXTURE_LABS, TOTALS);
  passing = await gradeLab(totals, join(FIXTURE_SOLUTIONS, TOTALS), { seed: 3 });
  failing = await gradeLab(totals, join(FIXTURE_LABS, TOTALS, 'starter'), { seed: 3 });
  failingOtherSeed = await gradeLab(totals, join(FIXTURE_LABS, TOTALS, 'starter'), { seed: 4 });
  unbuilt = await gradeLab(totals, broken.dir, { seed: 3 });
  crashed = await gradeLab(findLab(FIXTURE_LABS, CONTACTS), join(HOSTILE, 'crash'), { seed: 3 });
});

afterAll(() => {
  broken.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

/** A failed check of each visibility, as the fixture lab has them. */
function failedChecks(result: GradeResult) {
  const failed = result.checks.filter((check) => check.status === 'fail');
  const visible = failed.find((check) => check.visibility === 'public' && check.expected !== undefined && check.hint !== undefined);
  const hidden = failed.find((check) => check.visibility === 'hidden' && check.expected !== undefined && check.hint !== undefined);
  if (!visible || !hidden) throw new Error('the fixture lab must fail a public and a hidden check with expected value and hint on its starter');
  return { visible, hidden };
}

describe('Gradescope results.json', () => {
  it('is valid against the spec for passing, failing, crashed and unbuilt runs', () => {
    for (const result of [passing, failing, crashed, unbuilt, { ...failing, status: 'error' as const, graderErrors: ['a check threw'] }]) {
      const json = JSON.parse(JSON.stringify(toGradescope(result))) as unknown;
      expect(gradescopeSchema(json), JSON.stringify(gradescopeSchema.errors)).toBe(true);
    }
  });

  it('shows per failed test, in the output students see, the feedback the terminal report shows', () => {
    const { visible, hidden } = failedChecks(failing);
    const terminal = formatTerminal(failing, { color: false });
    const tests = toGradescope(failing).tests;
    const shown = tests.find((test) => test.name === `${visible.id}: ${visible.title}`);
    for (const part of [visible.expected, visible.actual, visible.hint]) {
      expect(terminal).toContain(part);
      expect(shown?.output).toContain(part);
    }
    expect(shown).toMatchObject({ status: 'failed', visibility: 'visible', output_format: 'text' });
    const secret = tests.find((test) => test.name === `${hidden.id}: ${hidden.title}`);
    expect(secret).toMatchObject({ status: 'failed', visibility: 'after_published' });
    expect(secret?.output).toContain(WITHHELD);
    expect(secret?.output).not.toContain(hidden.expected);
    expect(secret?.output).not.toContain(hidden.hint);
  });

  it('rounds points, totals what the tests add up to, and says passed only for full marks', () => {
    const json = toGradescope(failing);
    const sum = json.tests.reduce((total, test) => total + test.score, 0);
    expect(json.score).toBeCloseTo(sum, 2);
    for (const test of json.tests) {
      expect(Math.round(test.score * 100) / 100).toBe(test.score);
      expect(test.status).toBe(test.score === test.max_score ? 'passed' : 'failed');
    }
    expect(toGradescope({ ...failing, score: 13.760000000000002 }).score).toBe(13.76);
  });

  it('puts a crash and a build error, with the compiler location, in the output students see', () => {
    expect(toGradescope(crashed).output).toContain('boom');
    const output = toGradescope(unbuilt).output;
    expect(output).toContain('Build error');
    expect(output).toMatch(/src\/totals\.ts:2:\d+/);
  });
});

describe('Exercism results.json v3', () => {
  it('is valid against the interface for every kind of run', () => {
    for (const result of [passing, failing, crashed, unbuilt, { ...failing, status: 'error' as const, message: 'grader broke' }]) {
      const json = JSON.parse(JSON.stringify(toExercism(result))) as unknown;
      expect(exercismSchema(json), JSON.stringify(exercismSchema.errors)).toBe(true);
    }
  });

  it('follows the status rules: pass when every test passed, fail when one failed, error when the solution did not build', () => {
    const pass = toExercism(passing);
    expect(pass.status).toBe('pass');
    expect(pass.tests.every((test) => test.status === 'pass' && test.message === null)).toBe(true);
    const fail = toExercism(failing);
    expect(fail).toMatchObject({ status: 'fail', message: null });
    expect(fail.tests.some((test) => test.status === 'fail')).toBe(true);
    expect(fail.tests.filter((test) => test.status !== 'pass').every((test) => typeof test.message === 'string' && test.message.length > 0)).toBe(true);
    expect(fail.tests.map((test) => test.name)).toEqual(failing.checks.map((check) => `${check.id}: ${check.title}`));
    const error = toExercism(unbuilt);
    expect(error.status).toBe('error');
    expect(error.message).toContain('did not build');
    expect(error.message).toMatch(/src\/totals\.ts:2:\d+/);
  });

  it('never shows a hidden check\'s expected value or hint, and keeps output within 500 characters', () => {
    const { hidden } = failedChecks(failing);
    const test = toExercism(failing).tests.find((candidate) => candidate.name.startsWith(`${hidden.id}:`));
    expect(test?.message).not.toContain(hidden.expected);
    expect(test?.message).not.toContain(hidden.hint);
    const long = toExercism({ ...crashed, run: { ...crashed.run, stderr: `${'x'.repeat(2000)}\nboom at the end` } });
    const output = long.tests.find((candidate) => candidate.status === 'fail')?.output ?? '';
    expect(output.length).toBeLessThanOrEqual(500);
    expect(output).toContain('Output was truncated');
    expect(output).toContain('boom at the end');
  });
});

describe('JUnit XML read by a real JUnit parser', () => {
  function readJunit(result: GradeResult, name: string) {
    const file = join(scratch, `${name}.xml`);
    writeFileSync(file, formatJunit(result));
    const read = spawnSync('python3', [join(PLATFORMS, 'read-junit.py'), file], { encoding: 'utf8' });
    if (read.status !== 0) throw new Error(`python3 read-junit.py failed (pip install junitparser==5.0.3): ${read.stderr}`);
    return JSON.parse(read.stdout) as Array<{ tests: number; failures: number; errors: number; system_err: string | null; cases: Array<{ name: string; classname: string; results: Array<{ kind: string; message: string; text: string | null }> }> }>;
  }

  it('names tests by check id and title, identically for two seeds', () => {
    const [first] = readJunit(failing, 'seed-3');
    const [second] = readJunit(failingOtherSeed, 'seed-4');
    expect(first?.cases.map((test) => test.name)).toEqual(failing.checks.map((check) => `${check.id}: ${check.title}`));
    expect(second?.cases.map((test) => test.name)).toEqual(first?.cases.map((test) => test.name));
    expect(first?.failures).toBe(failing.checks.filter((check) => check.status === 'fail').length);
  });

  it('says the rounded points lost, and keeps hidden checks\' expected values and hints out', () => {
    const { hidden } = failedChecks(failing);
    const [suite] = readJunit(failing, 'failing');
    for (const test of suite?.cases ?? []) for (const failure of test.results) expect(failure.message).toMatch(/^\d+(\.\d{1,2})? of \d+(\.\d{1,2})? points lost/);
    const secret = suite?.cases.find((test) => test.name.startsWith(`${hidden.id}:`));
    expect(secret?.results[0]?.text).not.toContain(hidden.expected);
    expect(secret?.results[0]?.text).toContain(WITHHELD);
  });

  it('carries the build error with its location in the failures and in system-err', () => {
    const [suite] = readJunit(unbuilt, 'unbuilt');
    expect(suite?.failures).toBe(unbuilt.checks.length);
    expect(suite?.cases[0]?.results[0]?.text).toMatch(/src\/totals\.ts:2:\d+/);
    expect(suite?.system_err).toMatch(/src\/totals\.ts:2:\d+/);
  });
});

describe('GitHub Classroom results', () => {
  /** What classroom-resources/autograding-grading-reporter does with `<RUNNER>_RESULTS`: base64, then JSON. */
  function asTheReporterReads(result: GradeResult) {
    const encoded = Buffer.from(JSON.stringify(toClassroom(result))).toString('base64');
    return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as { status: string; max_score: number; tests: Array<{ name: string; status: string; score: number; message: string | null }> };
  }

  it('gives Classroom the points the grader gave, partial credit included', () => {
    for (const result of [passing, failing, crashed, unbuilt]) {
      const read = asTheReporterReads(result);
      expect(read.max_score).toBe(result.maxScore);
      expect(read.tests.reduce((total, test) => total + test.score, 0)).toBeCloseTo(result.score, 2);
      expect(read.status).toBe(result.status);
    }
    expect(asTheReporterReads(failing).status).toBe('fail');
  });

  it('explains each failed test in its message, hidden checks without expected value or hint', () => {
    const { visible, hidden } = failedChecks(failing);
    const tests = asTheReporterReads(failing).tests;
    expect(tests.find((test) => test.name.startsWith(`${visible.id}:`))?.message).toContain(visible.hint);
    const secret = tests.find((test) => test.name.startsWith(`${hidden.id}:`))?.message;
    expect(secret).toContain(WITHHELD);
    expect(secret).not.toContain(hidden.hint);
    expect(asTheReporterReads(unbuilt).tests[0]?.message).toMatch(/src\/totals\.ts:2:\d+/);
  });
});

describe('Markdown', () => {
  it('shows a public check\'s expected value but not a hidden one\'s', () => {
    const { visible, hidden } = failedChecks(failing);
    const markdown = formatMarkdown(failing);
    expect(markdown).toContain(visible.hint);
    expect(markdown).not.toContain(hidden.hint);
    expect(markdown).toContain(WITHHELD);
  });
});

describe('golden files', () => {
  /** Durations and the start time differ on every run; everything else follows from the seed. */
  const normalise = (text: string) =>
    text
      .replace(/ time="[\d.]+"/g, ' time="0.000"')
      .replace(/ timestamp="[^"]*"/g, ' timestamp="2020-01-01T00:00:00"')
      .replace(/"execution_time": \d+/g, '"execution_time": 0');
  const GOLDEN = join(PLATFORMS, 'golden');

  // The fixture lab's starter on seed 3, in each platform's format. After a deliberate change to a
  // format, rewrite them with LAB_UPDATE_GOLDEN=1 and read the diff.
  it.each([
    ['gradescope.json', () => formatGradescope(failing)],
    ['exercism.json', () => formatExercism(failing)],
    ['exercism-build-error.json', () => formatExercism(unbuilt).replaceAll(broken.dir, '<solution>')],
    ['classroom.json', () => formatClassroom(failing)],
    ['junit.xml', () => formatJunit(failing)],
  ])('%s matches its golden file', (name, render) => {
    const file = join(GOLDEN, name);
    const text = normalise(render());
    if (process.env.LAB_UPDATE_GOLDEN === '1') {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, text);
    }
    if (!existsSync(file)) throw new Error(`${file} is missing: run LAB_UPDATE_GOLDEN=1 npx vitest run test/grader/platform-formats.test.ts`);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
});
