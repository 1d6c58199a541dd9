import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { LabFileError } from '../labs/lab-file-error.ts';
import { nearestName } from '../labs/nearest-name.ts';

/** A known-wrong variant of a reference solution, and the check that must catch it. */
export interface Mutant {
  name: string;
  dir: string;
  catches: string;
  mistake: string;
}

const FIELDS = ['catches', 'mistake'];

/** Reads solutions/<lab>/mutants/<name>/mutant.yaml for every mutant; checkIds are the scenario's. */
export function loadMutants(mutantsDir: string, checkIds: string[]): Mutant[] {
  if (!existsSync(mutantsDir)) return [];
  return readdirSync(mutantsDir)
    .filter((name) => statSync(join(mutantsDir, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(mutantsDir, name);
      const file = join(dir, 'mutant.yaml');
      const shown = relative(process.cwd(), file) || file;
      if (!existsSync(file)) throw new LabFileError(shown, ['missing: each mutant names the check that catches it (catches: <check id>) and its mistake (mistake: <one line>)']);
      let data: unknown;
      try {
        data = parseYaml(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new LabFileError(shown, [error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)]);
      }
      const record = (data ?? {}) as Record<string, unknown>;
      const problems: string[] = [];
      for (const key of Object.keys(record)) {
        if (!FIELDS.includes(key)) {
          const suggestion = nearestName(key, FIELDS);
          problems.push(`/${key}: unknown field "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; allowed: ${FIELDS.join(', ')}`);
        }
      }
      if (typeof record.catches !== 'string') problems.push('/catches: must be the id of the check that catches this mutant');
      else if (!checkIds.includes(record.catches)) {
        const suggestion = nearestName(record.catches, checkIds);
        problems.push(`/catches: no check "${record.catches}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; checks: ${checkIds.join(', ')}`);
      }
      if (typeof record.mistake !== 'string' || record.mistake.trim().length === 0) problems.push('/mistake: must be a one-line description of the mistake');
      if (problems.length > 0) throw new LabFileError(shown, problems);
      return { name, dir, catches: record.catches as string, mistake: (record.mistake as string).trim() };
    });
}

/**
 * A mutant folder holds only the files its mistake changes. The graded submission is the
 * reference with those files laid over it, so each mutant reads as the diff it is.
 */
export function materializeMutant(referenceDir: string, mutant: Mutant): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), `lab-mutant-${mutant.name}-`));
  const mutantsDir = join(referenceDir, 'mutants');
  cpSync(referenceDir, dir, { recursive: true, filter: (source) => source !== mutantsDir && !source.includes('/node_modules') });
  cpSync(mutant.dir, dir, { recursive: true, filter: (source) => source !== join(mutant.dir, 'mutant.yaml') });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
