import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateLab } from '../../grader/grading/validate-lab.ts';
import { findLab } from '../../grader/labs/catalogue.ts';
import { formatValidation } from '../../grader/reporters/validation-terminal.ts';
import { scaffoldLab, ScaffoldError } from '../../grader/scaffold/new-lab.ts';
import { REPO } from './helpers.ts';

/**
 * `lab new` into a labs root of its own under work/ (ignored by git), inside the project so the
 * scaffold finds the installed packages as a lab in labs/ does, and removed afterwards.
 */
let root: string;
let labsDir: string;
beforeAll(() => {
  mkdirSync(join(REPO, 'work'), { recursive: true });
  root = mkdtempSync(join(REPO, 'work', '.lab-new-test-'));
  labsDir = join(root, 'labs');
  mkdirSync(labsDir);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('lab new', () => {
  it('writes a lab that lab validate passes as it is', { timeout: 300_000 }, async () => {
    const scaffold = scaffoldLab({ labsDir, id: '99-example' });
    expect(scaffold.files).toEqual(
      expect.arrayContaining(['labs/99-example/lab.yaml', 'labs/99-example/hidden/checks.ts', 'solutions/99-example/src/main.ts', 'solutions/99-example/mutants/logs-emails/mutant.yaml']),
    );
    expect(readFileSync(join(labsDir, '99-example/lab.yaml'), 'utf8')).toContain('title: Example');
    const validation = await validateLab(findLab(labsDir, '99-example'));
    expect(validation.ok, formatValidation([validation], { color: false })).toBe(true);
  });

  it("writes a starter whose example unit test passes", { timeout: 120_000 }, () => {
    const result = spawnSync('npx', ['vitest', 'run', join(labsDir, '99-example/starter')], { cwd: REPO, encoding: 'utf8' });
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  it('refuses a bad id, a taken number and an existing folder, saying what to do', () => {
    expect(() => scaffoldLab({ labsDir, id: 'example' })).toThrow(/two digits, a dash and a kebab-case slug/);
    expect(() => scaffoldLab({ labsDir, id: '99-other' })).toThrow(/taken by 99-example/);
    expect(() => scaffoldLab({ labsDir, id: '99-example' })).toThrow(ScaffoldError);
  });

  it('is a usage error on the command line (exit 2) and lists what it wrote on success', () => {
    const lab = (...args: string[]) => spawnSync('node', [join(REPO, 'bin/lab.js'), 'new', ...args, '--labs-dir', labsDir], { encoding: 'utf8' });
    const bad = lab('Example');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('e.g. 99-example');
    const good = lab('98-second', '--title', 'Second lab');
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toContain('labs/98-second/scenario.ts');
    expect(good.stdout).toContain('lab validate 98-second');
  });
});
