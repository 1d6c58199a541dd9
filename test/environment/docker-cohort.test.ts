import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerClient, PID_LABEL } from '../../grader/environment/docker/runtime.ts';
import type { GradeResult } from '../../grader/grading/result.ts';

// Needs a Docker engine and the images (scripts/build-images.sh); without them it fails with
// what to install, never skips.
const projectRoot = new URL('../../', import.meta.url).pathname;
const lab = '01-customer-mapping';
const scratch = mkdtempSync(join(tmpdir(), 'lab-docker-cohort-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('lab grade --batch --env docker', { timeout: 300_000 }, () => {
  it('grades each submission in containers of its own and leaves none behind', async () => {
    const reference = join(projectRoot, 'solutions', lab);
    const batch = join(scratch, 'cohort');
    cpSync(join(reference, 'src'), join(batch, 'correct', 'src'), { recursive: true });
    cpSync(join(reference, 'src'), join(batch, 'spaces-kept', 'src'), { recursive: true });
    cpSync(join(reference, 'mutants', 'country-spaces-kept', 'src'), join(batch, 'spaces-kept', 'src'), { recursive: true });
    const out = join(scratch, 'grades');

    const graded = spawnSync('node', [join(projectRoot, 'bin/lab.js'), 'grade', lab, '--batch', batch, '--env', 'docker', '--jobs', '2', '--seed', '5', '--out', out], { encoding: 'utf8', timeout: 280_000 });

    expect(graded.status, graded.stderr).toBe(1);
    expect(graded.stderr).toContain('2 at a time, each in containers of its own');
    const report = (name: string) => JSON.parse(readFileSync(join(out, 'submissions', `${name}.json`), 'utf8')) as GradeResult;
    for (const name of ['correct', 'spaces-kept']) expect(report(name).run.sandbox.protections.join(' ')).toMatch(/^a container of its own on the run's network/);
    expect(report('correct')).toMatchObject({ status: 'pass', score: 100 });
    expect(report('spaces-kept').status).toBe('fail');
    const docker = (await dockerClient()).container.dockerode;
    const filters = { label: [`${PID_LABEL}=${graded.pid}`] };
    expect((await docker.listContainers({ all: true, filters })).length).toBe(0);
    expect((await docker.listNetworks({ filters })).length).toBe(0);
  });
});
