import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
export const FIXTURE_LABS = join(REPO, 'test/fixtures/labs');
export const FIXTURE_SOLUTIONS = join(REPO, 'test/fixtures/solutions');
export const HOSTILE = join(REPO, 'test/fixtures/hostile');
export const TOTALS = '90-fixture-order-totals';
export const CONTACTS = '91-fixture-contact-export';

/**
 * A scratch copy of the fixture labs and solutions in a temporary folder, for tests that
 * break a lab on purpose. Scenario imports of the grader are made absolute so they resolve there.
 */
export function scratchLabs(): { labsDir: string; solutionsDir: string; write(path: string, text: string): void; dispose(): void } {
  const root = mkdtempSync(join(tmpdir(), 'lab-fixtures-'));
  const labsDir = join(root, 'labs');
  const solutionsDir = join(root, 'solutions');
  cpSync(FIXTURE_LABS, labsDir, { recursive: true });
  cpSync(FIXTURE_SOLUTIONS, solutionsDir, { recursive: true });
  for (const id of [TOTALS, CONTACTS]) {
    const scenario = join(labsDir, id, 'scenario.ts');
    writeFileSync(scenario, readFileSync(scenario, 'utf8').replaceAll("'../../../../grader/", `'${REPO}/grader/`));
  }
  return {
    labsDir,
    solutionsDir,
    write(path, text) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A throw-away submission folder with these files. */
export function submissionWith(files: Record<string, string>): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'lab-submission-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
