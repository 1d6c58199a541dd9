import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findLab } from '../../grader/labs/catalogue.ts';
import { loadScenario } from '../../grader/labs/load-scenario.ts';
import { packLab, PackError } from '../../grader/pack/pack-lab.ts';
import { FIXTURE_LABS, REPO, scratchLabs, TOTALS } from './helpers.ts';

/** labs/<lab>/hidden/checks.ts: loaded after the public checks, its checks hidden, the file's role enforced. */
const hiddenChecks = (visibility: string) => `import { defineChecks } from '${REPO}/grader/checks/scenario.ts';
export default defineChecks([{ id: 'extra-hidden', title: 'An extra hidden check', points: 10, visibility: '${visibility}', run: () => ({ passed: true }) }]);
`;

let scratch: ReturnType<typeof scratchLabs>;
beforeEach(() => {
  scratch = scratchLabs();
  // ESM like the project, as a lab inside labs/ is.
  scratch.write('package.json', '{ "type": "module" }\n');
});
afterEach(() => scratch.dispose());

function makeInlineChecksPublic(): void {
  const scenario = join(scratch.labsDir, TOTALS, 'scenario.ts');
  scratch.write(`labs/${TOTALS}/scenario.ts`, readFileSync(scenario, 'utf8').replace("visibility: 'hidden'", "visibility: 'public'"));
  const manifest = join(scratch.labsDir, TOTALS, 'lab.yaml');
  scratch.write(`labs/${TOTALS}/lab.yaml`, readFileSync(manifest, 'utf8').replace('points: 30', 'points: 40'));
}

describe('hidden checks in their own file', () => {
  it('are appended to the public checks', async () => {
    makeInlineChecksPublic();
    scratch.write(`labs/${TOTALS}/hidden/checks.ts`, hiddenChecks('hidden'));
    const scenario = await loadScenario(findLab(scratch.labsDir, TOTALS));
    expect(scenario.checks.map((check) => `${check.id}:${check.visibility}`)).toEqual(['plain-totals:public', 'discounts:public', 'cents:public', 'extra-hidden:hidden']);
  });

  it('must all be hidden', async () => {
    makeInlineChecksPublic();
    scratch.write(`labs/${TOTALS}/hidden/checks.ts`, hiddenChecks('public'));
    await expect(loadScenario(findLab(scratch.labsDir, TOTALS))).rejects.toThrow(/every check in hidden\/checks.ts must have visibility 'hidden'/);
  });

  it('leave no hidden check in scenario.ts once the lab has the file', async () => {
    const manifest = join(scratch.labsDir, TOTALS, 'lab.yaml');
    scratch.write(`labs/${TOTALS}/lab.yaml`, readFileSync(manifest, 'utf8').replace('points: 30', 'points: 40'));
    scratch.write(`labs/${TOTALS}/hidden/checks.ts`, hiddenChecks('hidden'));
    await expect(loadScenario(findLab(scratch.labsDir, TOTALS))).rejects.toThrow(/\(discounts\): hidden checks belong in hidden\/checks.ts/);
  });

  it('are what lab pack needs: a lab with inline hidden checks is refused with what to move', async () => {
    await expect(packLab(findLab(FIXTURE_LABS, TOTALS), join(scratch.labsDir, 'x.tgz'))).rejects.toThrow(PackError);
    await expect(packLab(findLab(FIXTURE_LABS, TOTALS), join(scratch.labsDir, 'x.tgz'))).rejects.toThrow(/holds hidden checks \(discounts\).*move them to hidden\/checks.ts/);
  });
});
