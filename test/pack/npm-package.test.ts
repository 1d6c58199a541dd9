import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../grader/runner/project-paths.ts';

/**
 * The package as npm would publish it (`npm pack`), installed from its tarball into an empty
 * project outside the repository: `npx integration-lab` runs our command, never the unrelated
 * public package that a bare `npx lab` would fetch.
 */
let scratch: string;
let project: string;
let tarball: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'lab-npm-package-'));
  const pack = spawnSync('npm', ['pack', '--pack-destination', scratch, '--silent'], { cwd: PROJECT_ROOT, encoding: 'utf8', timeout: 120_000 });
  expect(pack.status, pack.stderr).toBe(0);
  tarball = join(scratch, readdirSync(scratch).find((name) => name.endsWith('.tgz'))!);
  project = join(scratch, 'elsewhere');
  spawnSync('mkdir', [project]);
  writeFileSync(join(project, 'package.json'), '{ "name": "elsewhere", "private": true }\n');
}, 150_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the integration-lab package', () => {
  it('leaves the solutions, the project tests and the benchmarks out of the tarball', () => {
    const listing = spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.split('\n');
    expect(listing).toContain('package/bin/lab.js');
    expect(listing.filter((path) => /^package\/(solutions|test|bench)\//.test(path))).toEqual([]);
  });

  it('installs from its tarball and answers npx integration-lab --help outside the repository', { timeout: 600_000 }, () => {
    const install = spawnSync('flock', ['/tmp/npm.lock', 'npm', 'install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: project, encoding: 'utf8', timeout: 580_000 });
    expect(install.status, install.stdout + install.stderr).toBe(0);
    // --no: never download a package of that name; only the installed one may answer.
    const help = spawnSync('npx', ['--no', '--', 'integration-lab', '--help'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('Integration Lab');
    const list = spawnSync('npx', ['--no', '--', 'integration-lab', 'list'], { cwd: project, encoding: 'utf8', timeout: 60_000 });
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toContain('01-customer-mapping');
  });
});
