import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLab, listLabs, resolveLabId } from '../../grader/labs/catalogue.ts';
import { LabFileError } from '../../grader/labs/lab-file-error.ts';
import { loadScenario } from '../../grader/labs/load-scenario.ts';
import { parseManifest } from '../../grader/labs/manifest.ts';
import { CONTACTS, FIXTURE_LABS, scratchLabs, TOTALS } from './helpers.ts';

const VALID = readFileSync(join(FIXTURE_LABS, CONTACTS, 'lab.yaml'), 'utf8');
const FILE = 'labs/01-x/lab.yaml';

function problemsOf(text: string): string[] {
  try {
    parseManifest(text, FILE);
  } catch (error) {
    if (error instanceof LabFileError) return error.message.split('\n');
    throw error;
  }
  return [];
}

describe('lab.yaml', () => {
  it('accepts the fixture manifests', () => {
    expect(parseManifest(VALID, FILE)).toMatchObject({ id: CONTACTS, entry: { kind: 'command' }, points: 20 });
  });

  it('names the file, the field and what is allowed for a wrong value', () => {
    expect(problemsOf(VALID.replace('kind: command', 'kind: comand'))).toEqual([
      'labs/01-x/lab.yaml: /entry/kind: must be one of command, module, sql, answers (got "comand")',
    ]);
    expect(problemsOf(VALID.replace('services: []', 'services: [crm, kafak]'))).toEqual([
      'labs/01-x/lab.yaml: /services/1: must be one of crm, erp, partner, kafka, postgres (got "kafak")',
    ]);
  });

  it('rejects unknown fields and suggests the nearest valid name', () => {
    expect(problemsOf(VALID.replace('timeLimitSeconds:', 'timeLimitSecs:'))).toContain(
      'labs/01-x/lab.yaml: /timeLimitSecs: unknown field "timeLimitSecs" (did you mean "timeLimitSeconds"?); allowed: id, title, summary, skills, services, entry, timeLimitSeconds, outputLimitBytes, memoryLimitMb, processLimit, workspaceLimitMb, openFilesLimit, points, difficulty, estimatedMinutes',
    );
    expect(problemsOf(VALID.replace('  command:', '  comand:'))).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/entry/comand: unknown field "comand" (did you mean "command"?)'),
        'labs/01-x/lab.yaml: /entry: missing required field "command" (entries of kind "command" need it)',
      ]),
    );
  });

  it('reports wrong types and every missing field at once', () => {
    expect(problemsOf(VALID.replace('timeLimitSeconds: 3', 'timeLimitSeconds: ten'))).toEqual(['labs/01-x/lab.yaml: /timeLimitSeconds: must be a number (got "ten")']);
    const problems = problemsOf('id: 01-x\ntitle: Something\n');
    expect(problems).toContain('labs/01-x/lab.yaml: /: missing required field "entry"');
    expect(problems.length).toBeGreaterThan(5);
  });

  it('reports YAML syntax errors with the line', () => {
    expect(problemsOf('id: 01-x\ntitle: [unclosed\n')[0]).toMatch(/^labs\/01-x\/lab\.yaml: line \d+, column \d+: /);
  });
});

describe('the lab catalogue', () => {
  it('lists the fixture labs and resolves short names', () => {
    expect(listLabs(FIXTURE_LABS).map((entry) => entry.id)).toEqual([TOTALS, CONTACTS]);
    expect(resolveLabId(FIXTURE_LABS, '90')).toBe(TOTALS);
    expect(resolveLabId(FIXTURE_LABS, 'fixture-contact-export')).toBe(CONTACTS);
    expect(() => resolveLabId(FIXTURE_LABS, 'fixture-order-total')).toThrow("unknown lab 'fixture-order-total' (did you mean 'fixture-order-totals'?)");
  });

  it('checks that check points add up to the manifest and ids are unique', async () => {
    const scratch = scratchLabs();
    try {
      const manifest = join(scratch.labsDir, TOTALS, 'lab.yaml');
      scratch.write(`labs/${TOTALS}/lab.yaml`, readFileSync(manifest, 'utf8').replace('points: 30', 'points: 35'));
      await expect(loadScenario(findLab(scratch.labsDir, TOTALS))).rejects.toThrow('check points add up to 30, but lab.yaml says points: 35');
      const scenario = join(scratch.labsDir, CONTACTS, 'scenario.ts');
      scratch.write(`labs/${CONTACTS}/scenario.ts`, readFileSync(scenario, 'utf8').replace("id: 'no-pii-in-output'", "id: 'one-line-per-contact'"));
      await expect(loadScenario(findLab(scratch.labsDir, CONTACTS))).rejects.toThrow('id "one-line-per-contact" is used twice');
    } finally {
      scratch.dispose();
    }
  });

  it('lists a broken lab with its error instead of failing the whole list', () => {
    const scratch = scratchLabs();
    try {
      scratch.write(`labs/${TOTALS}/lab.yaml`, VALID.replace(`id: ${CONTACTS}`, `id: ${TOTALS}`).replace('kind: command', 'kind: shell'));
      const entries = listLabs(scratch.labsDir);
      const broken = entries.find((entry) => entry.id === TOTALS);
      expect(broken && 'error' in broken ? broken.error.message : '').toContain('/entry/kind: must be one of');
      expect(entries.find((entry) => entry.id === CONTACTS)).toHaveProperty('lab');
    } finally {
      scratch.dispose();
    }
  });
});
