import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { PROJECT_ROOT } from '../runner/project-paths.ts';
import { LabFileError } from './lab-file-error.ts';
import { parseManifest, type LabManifest } from './manifest.ts';
import { nearestName } from './nearest-name.ts';

/** One lab on disk. Paths are absolute. */
export interface Lab {
  id: string;
  dir: string;
  manifest: LabManifest;
  briefPath: string;
  starterDir: string;
  scenarioPath: string;
  /** hidden/checks.ts: the hidden checks, kept apart so a candidate's bundle can leave them out (may be absent). */
  hiddenChecksPath: string;
  /** solutions/<id>/: the reference solution (may be absent in a candidate's bundle). */
  solutionDir: string;
  mutantsDir: string;
  /** Set in a take-home bundle (`lab pack`): what was left out, so the points still add up. */
  packed?: PackedLab;
}

/** labs/<lab>/packed.json, written by `lab pack` in place of hidden/. */
export interface PackedLab {
  hiddenChecks: number;
  hiddenPoints: number;
}

export const PACKED_FILE = 'packed.json';

export type CatalogueEntry = { id: string; lab: Lab } | { id: string; error: LabFileError };

export const LAB_FOLDER = /^[0-9]{2}-[a-z0-9-]+$/;

/**
 * labs/<lab>/hidden/: what only the grader may see (hidden checks, hidden datasets). Nothing
 * outside it may import from it statically, so `lab pack` ships the lab by leaving it out.
 */
export const HIDDEN_DIR = 'hidden';

/** The labs folder: the option, else LAB_LABS_DIR, else labs/ at the repository root. */
export function resolveLabsDir(option?: string): string {
  return option ?? process.env.LAB_LABS_DIR ?? join(PROJECT_ROOT, 'labs');
}

/** Reference solutions live beside the labs folder: labs/ ↔ solutions/. */
export function solutionsDirFor(labsDir: string): string {
  return join(dirname(labsDir), 'solutions');
}

export function labIds(labsDir: string): string[] {
  if (!existsSync(labsDir)) return [];
  return readdirSync(labsDir)
    .filter((name) => LAB_FOLDER.test(name) && existsSync(join(labsDir, name, 'lab.yaml')))
    .sort();
}

/** Every lab, with the broken ones reported rather than hidden. */
export function listLabs(labsDir: string): CatalogueEntry[] {
  return labIds(labsDir).map((id) => {
    try {
      return { id, lab: loadLab(labsDir, id) };
    } catch (error) {
      if (error instanceof LabFileError) return { id, error };
      throw error;
    }
  });
}

export class UnknownLabError extends Error {}

/** Accepts `01-customer-mapping`, `01` or `customer-mapping`. */
export function resolveLabId(labsDir: string, query: string): string {
  const ids = labIds(labsDir);
  const match = ids.find((id) => id === query) ?? ids.find((id) => id.slice(0, 2) === query || id.slice(3) === query);
  if (match) return match;
  const suggestion = nearestName(query, [...ids, ...ids.map((id) => id.slice(3))]);
  const known = ids.length > 0 ? `known labs: ${ids.join(', ')}` : `no labs found in ${labsDir}`;
  throw new UnknownLabError(`unknown lab '${query}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; ${known}`);
}

export function findLab(labsDir: string, query: string): Lab {
  return loadLab(labsDir, resolveLabId(labsDir, query));
}

export function loadLab(labsDir: string, id: string): Lab {
  const dir = join(labsDir, id);
  const manifestPath = join(dir, 'lab.yaml');
  const shown = relative(process.cwd(), manifestPath) || manifestPath;
  const manifest = parseManifest(readFileSync(manifestPath, 'utf8'), shown);
  const problems: string[] = [];
  if (manifest.id !== id) problems.push(`/id: must be the folder name "${id}" (got "${manifest.id}")`);
  const lab: Lab = {
    id,
    dir,
    manifest,
    briefPath: join(dir, 'README.md'),
    starterDir: join(dir, 'starter'),
    scenarioPath: join(dir, 'scenario.ts'),
    hiddenChecksPath: join(dir, HIDDEN_DIR, 'checks.ts'),
    solutionDir: join(solutionsDirFor(labsDir), id),
    mutantsDir: join(solutionsDirFor(labsDir), id, 'mutants'),
  };
  const packedPath = join(dir, PACKED_FILE);
  if (existsSync(packedPath)) lab.packed = JSON.parse(readFileSync(packedPath, 'utf8')) as PackedLab;
  if (!existsSync(lab.briefPath)) problems.push(`the brief README.md is missing beside lab.yaml`);
  if (!existsSync(lab.starterDir) || !statSync(lab.starterDir).isDirectory()) problems.push(`the starter/ folder is missing beside lab.yaml`);
  if (!existsSync(lab.scenarioPath)) problems.push(`scenario.ts is missing beside lab.yaml`);
  if (problems.length > 0) throw new LabFileError(shown, problems);
  return lab;
}
