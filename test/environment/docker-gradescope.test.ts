import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerImages } from '../../grader/environment/docker/images.ts';
import type { GradescopeResults } from '../../grader/reporters/gradescope.ts';
import { autograderLayout, readResults, submissionCopy } from '../grader/autograder-layout.ts';
import { REPO } from '../grader/helpers.ts';

// Needs a Docker engine and the images (scripts/build-images.sh); fails, never skips, without them.
const gradescopeSchema = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(REPO, 'test/fixtures/platforms/gradescope-results.schema.json'), 'utf8')) as object);
const scratch = mkdtempSync(join(tmpdir(), 'lab-gradescope-container-'));
const zip = join(scratch, 'autograder.zip');
const LAB_01 = join(REPO, 'labs/01-customer-mapping');

/**
 * run_autograder as Gradescope runs it: in a container (root, no cgroups of its own, as in
 * Gradescope's) of our offline Node image, with /autograder mounted. The project's installed
 * packages stand in for setup.sh's npm ci, mounted where the layout's links expect them.
 */
function gradeInContainer(name: string, submissionDir: string) {
  const { root, results } = autograderLayout(join(scratch, name), zip, submissionDir);
  const run = spawnSync(
    'docker',
    ['run', '--rm', '-v', `${root}:/autograder`, '-v', `${join(REPO, 'node_modules')}:${join(REPO, 'node_modules')}:ro`, '-w', '/autograder', dockerImages().LAB_IMAGE_NODE, '/autograder/source/run_autograder'],
    { encoding: 'utf8', timeout: 300_000 },
  );
  expect(run.status, run.stderr).toBe(0);
  const json = readResults<GradescopeResults>(results);
  expect(gradescopeSchema(json), JSON.stringify(gradescopeSchema.errors)).toBe(true);
  return json;
}

describe('the Gradescope autograder in a container', { timeout: 300_000 }, () => {
  beforeAll(() => {
    const engine = spawnSync('docker', ['info'], { encoding: 'utf8' });
    if (engine.status !== 0) throw new Error(`no Docker engine (bash .ci/run starts one): ${engine.stderr}`);
    const exported = spawnSync(process.execPath, ['bin/lab.js', 'export', 'gradescope', '01', '--out', zip], { cwd: REPO, encoding: 'utf8' });
    if (exported.status !== 0) throw new Error(`lab export failed: ${exported.stderr}`);
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('gives the reference solution full marks', () => {
    expect(gradeInContainer('correct', submissionCopy(join(scratch, 'correct-submission'), join(REPO, 'solutions/01-customer-mapping'))).score).toBe(100);
  });

  it('gives a submission that does not build its compiler message', () => {
    const results = gradeInContainer('unbuilt', submissionCopy(join(scratch, 'unbuilt-submission'), join(LAB_01, 'starter'), 'const broken = ;\n'));
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/src\/main\.ts:1:\d+/);
  });
});
