import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeLab } from '../../grader/grading/grade-lab.ts';
import type { GradeResult } from '../../grader/grading/result.ts';
import { findLab } from '../../grader/labs/catalogue.ts';
import { toResultsJson } from '../../grader/reporters/json.ts';
import { formatJunit } from '../../grader/reporters/junit.ts';
import { formatMarkdown } from '../../grader/reporters/markdown.ts';
import { formatTerminal } from '../../grader/reporters/terminal.ts';
import { CONTACTS, FIXTURE_LABS, FIXTURE_SOLUTIONS, HOSTILE, TOTALS } from './helpers.ts';
import { parseXml } from './xml-well-formed.ts';

/** The fields Exercism's test runner interface (results.json version 3) requires. */
const EXERCISM_V3 = {
  type: 'object',
  required: ['version', 'status', 'tests'],
  properties: {
    version: { const: 3 },
    status: { enum: ['pass', 'fail', 'error'] },
    message: { type: ['string', 'null'] },
    tests: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'status'],
        properties: {
          name: { type: 'string' },
          status: { enum: ['pass', 'fail', 'error'] },
          message: { type: ['string', 'null'] },
          output: { type: ['string', 'null'], maxLength: 500 },
          test_code: { type: 'string' },
          task_id: { type: 'integer', minimum: 1 },
        },
        if: { properties: { status: { enum: ['fail', 'error'] } } },
        then: { required: ['message'], properties: { message: { type: 'string' } } },
      },
    },
  },
  if: { properties: { status: { const: 'error' } } },
  then: { required: ['message'], properties: { message: { type: 'string' } } },
};

/** Gradescope's autograder results.json. */
const GRADESCOPE = {
  type: 'object',
  anyOf: [{ required: ['score'] }, { required: ['tests'] }],
  properties: {
    score: { type: 'number' },
    max_score: { type: 'number' },
    execution_time: { type: 'number' },
    output: { type: 'string' },
    visibility: { enum: ['hidden', 'after_due_date', 'after_published', 'visible'] },
    stdout_visibility: { enum: ['hidden', 'after_due_date', 'after_published', 'visible'] },
    tests: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          score: { type: 'number' },
          max_score: { type: 'number' },
          name: { type: 'string' },
          number: { type: 'string' },
          output: { type: ['string', 'null'] },
          tags: { type: 'array', items: { type: 'string' } },
          visibility: { enum: ['hidden', 'after_due_date', 'after_published', 'visible'] },
        },
      },
    },
  },
};

const ajv = new Ajv2020({ allErrors: true, strict: false });
const exercism = ajv.compile(EXERCISM_V3);
const gradescope = ajv.compile(GRADESCOPE);

let passing: GradeResult;
let failing: GradeResult;
let crashed: GradeResult;

/** A result full of characters that break careless XML, Markdown and terminals. */
function hostile(base: GradeResult): GradeResult {
  const nasty = 'a < b && c > "d" \'e\' ]]> | `x` \u0007 \u001b[31mred\u001b[0m \u0000 line\nbreak';
  return {
    ...base,
    lab: { ...base.lab, title: `Title ${nasty}` },
    checks: base.checks.map((check) => ({ ...check, status: 'fail', score: 0, expected: nasty, actual: nasty, hint: nasty, title: `${check.title} ${nasty}` })),
    run: { ...base.run, stdout: nasty, stderr: nasty },
    status: 'fail',
  };
}

beforeAll(async () => {
  passing = await gradeLab(findLab(FIXTURE_LABS, TOTALS), join(FIXTURE_SOLUTIONS, TOTALS), { seed: 3 });
  failing = await gradeLab(findLab(FIXTURE_LABS, TOTALS), join(FIXTURE_LABS, TOTALS, 'starter'), { seed: 3 });
  crashed = await gradeLab(findLab(FIXTURE_LABS, CONTACTS), join(HOSTILE, 'crash'), { seed: 3 });
});

describe('JSON report', () => {
  it('is valid Exercism v3 and Gradescope results for passing, failing and crashed runs', () => {
    for (const result of [passing, failing, crashed, hostile(failing), { ...failing, status: 'error' as const, message: 'grader broke' }]) {
      const json = JSON.parse(JSON.stringify(toResultsJson(result))) as unknown;
      expect(exercism(json), JSON.stringify(exercism.errors)).toBe(true);
      expect(gradescope(json), JSON.stringify(gradescope.errors)).toBe(true);
    }
  });

  it('carries score, per-test points, visibility and our extra fields', () => {
    const json = toResultsJson(failing);
    expect(json).toMatchObject({ version: 3, status: 'fail', score: failing.score, max_score: 30, seed: 3, lab: { id: TOTALS } });
    const discounts = json.tests.find((test) => test.id === 'discounts');
    expect(discounts).toMatchObject({ status: 'fail', max_score: 10, visibility: 'after_published', task_id: 2, tags: ['hidden', 'happy path only testing'] });
    expect(discounts?.message).toContain('Expected: ');
    const crash = toResultsJson(crashed);
    expect(crash.run.status).toBe('crash');
    expect(crash.tests[0]?.cause).toBe('crash');
    expect(crash.tests[0]?.output).toContain('boom');
  });
});

describe('JUnit XML', () => {
  it('is well-formed and counts failures, even with hostile text', () => {
    for (const result of [passing, failing, crashed, hostile(failing)]) {
      const root = parseXml(formatJunit(result));
      const suite = root.children[0];
      expect(root.name).toBe('testsuites');
      expect(suite?.attributes.tests).toBe(String(result.checks.length));
      expect(suite?.attributes.failures).toBe(String(result.checks.filter((check) => check.status === 'fail').length));
    }
    const nasty = parseXml(formatJunit(hostile(failing)));
    const failure = nasty.children[0]?.children.find((child) => child.name === 'testcase')?.children[0];
    expect(failure?.name).toBe('failure');
    expect(failure?.text).toContain('a < b && c > "d"');
  });

  it('the checker itself rejects broken XML', () => {
    expect(() => parseXml('<a><b></a>')).toThrow(/mismatched/);
    expect(() => parseXml('<a>x & y</a>')).toThrow(/entity/);
    expect(() => parseXml('<a b="1" b="2"/>')).toThrow(/duplicate/);
  });
});

describe('Markdown and terminal', () => {
  it('Markdown has a score heading, a table row per check and escapes pipes', () => {
    const markdown = formatMarkdown(hostile(failing));
    expect(markdown).toMatch(/^### ❌ /);
    expect(markdown.split('\n').filter((line) => line.startsWith('| ❌ |'))).toHaveLength(3);
    expect(markdown).toContain('\\|');
    expect(markdown).not.toContain('\u001b');
  });

  it('terminal shows failed checks with expected, actual and hint; colour only when asked', () => {
    const plain = formatTerminal(failing, { color: false });
    expect(plain).toContain('FAIL');
    expect(plain).toContain('expected: ');
    expect(plain).toContain('hint: ');
    expect(plain).not.toContain('\u001b[');
    expect(formatTerminal(failing, { color: true })).toContain('\u001b[');
    expect(formatTerminal(hostile(failing), { color: false })).not.toContain('\u001b');
  });

  it('terminal names a crash and the points it cost', () => {
    const text = formatTerminal(crashed, { color: false });
    expect(text).toContain('Crash: the submission exited with code 1 (20 points lost');
    expect(text).toContain('boom: cannot parse input');
  });
});
