import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLab, resolveLabsDir } from '../../grader/labs/catalogue.ts';
import { loadScenario } from '../../grader/labs/load-scenario.ts';
import { packLab } from '../../grader/pack/pack-lab.ts';
import { PROJECT_ROOT } from '../../grader/runner/project-paths.ts';
import { npmStart } from '../support/npm-start.ts';

/**
 * `lab pack` for real: lab 01 packed, unpacked in an empty folder outside the repository,
 * installed with npm, its services started, the starter's tests and the public checks run.
 */
const LAB = findLab(resolveLabsDir(), '01');
let scratch: string;
let bundle: string;
let archive: string;

function inBundle(command: string, args: string[], timeout = 240_000): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd: bundle, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1' } });
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'lab-take-home-'));
  expect(relative(PROJECT_ROOT, scratch).startsWith('..')).toBe(true);
  archive = (await packLab(LAB, join(scratch, 'take-home.tgz'))).archive;
  const untar = spawnSync('tar', ['-xzf', archive, '-C', scratch], { encoding: 'utf8' });
  expect(untar.status, untar.stderr).toBe(0);
  bundle = join(scratch, `integration-lab-${LAB.id}`);
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('a take-home bundle', () => {
  it('holds no hidden check, hidden dataset, authoring note, solution or mutant', async () => {
    const files = walk(bundle).map((path) => relative(bundle, path));
    expect(files).toContain(`labs/${LAB.id}/scenario.ts`);
    expect(files).toContain('work/src/main.ts');
    expect(files.filter((file) => /(^|\/)(hidden|solutions|mutants)\/|AUTHORING\.md$|mutant\.yaml$/.test(file))).toEqual([]);
    const hidden = (await loadScenario(LAB)).checks.filter((check) => check.visibility === 'hidden');
    expect(hidden.length).toBeGreaterThan(0);
    const reference = readFileSync(join(LAB.solutionDir, 'src/main.ts'), 'utf8');
    for (const file of files) {
      const text = readFileSync(join(bundle, file), 'utf8');
      for (const check of hidden) {
        expect(text.includes(check.id), `${file} names hidden check ${check.id}`).toBe(false);
        expect(text.includes(check.title), `${file} holds the title of hidden check ${check.id}`).toBe(false);
      }
      expect(text === reference, `${file} is the reference solution`).toBe(false);
    }
  });

  it("has a brief whose relative links resolve inside the bundle", () => {
    for (const page of [`labs/${LAB.id}/README.md`, 'README.md']) {
      const text = readFileSync(join(bundle, page), 'utf8');
      const links = [...text.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)].map((match) => match[1]!).filter((link) => !/^[a-z]+:/.test(link));
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) expect(existsSync(resolve(dirname(join(bundle, page)), link)), `${page} links to ${link}`).toBe(true);
    }
  });

  it('installs with npm, outside the repository', { timeout: 600_000 }, () => {
    // The machine's shared npm lock, when there is one, keeps concurrent installs apart.
    const install = inBundle('flock', ['/tmp/npm.lock', 'npm', 'install', '--prefer-offline', '--no-audit', '--no-fund'], 580_000);
    expect(install.status, install.stdout + install.stderr).toBe(0);
    expect(existsSync(join(bundle, 'node_modules/@integration-lab/clients/package.json'))).toBe(true);
  });

  it("runs the starter's unit tests (npm test)", { timeout: 180_000 }, () => {
    const test = inBundle('npm', ['test']);
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/1 passed/);
  });

  it('starts the services (npm start)', { timeout: 120_000 }, async () => {
    const services = await npmStart(bundle, 'is running');
    await services.stop();
    expect(services.running, services.output()).toBe(true);
    expect(services.output()).toContain('CRM_URL');
  });

  it('checks the starter with the public checks only (npm run check exits 1)', { timeout: 180_000 }, () => {
    const check = inBundle('npm', ['run', 'check']);
    expect(check.status, check.stdout + check.stderr).toBe(1);
    expect(check.stdout).toContain('Every mappable contact is an ERP customer');
    expect(check.stdout).toMatch(/Score: 0\/75/);
  });

  it('refuses lab grade, which needs the full lab', { timeout: 60_000 }, () => {
    const grade = inBundle('npm', ['run', 'lab', '--', 'grade', LAB.id, 'work']);
    expect(grade.status).toBe(2);
    expect(grade.stderr).toContain('take-home bundle');
  });
});
