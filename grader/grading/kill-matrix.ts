import type { GradeResult } from './result.ts';

/** Which check caught which mutant, and how many points each cost it: `lab validate --matrix`. */
export interface KillMatrix {
  checks: Array<{ id: string; points: number }>;
  mutants: KillMatrixRow[];
}

export interface KillMatrixRow {
  mutant: string;
  /** The check its mutant.yaml names. */
  catches: string;
  seeds: number[];
  /** Check id → points lost on each seed (in `seeds` order); checks that cost nothing are left out. */
  lost: Record<string, number[]>;
}

export interface GradedMutant {
  mutant: string;
  catches: string;
  seed: number;
  result: GradeResult;
}

export function buildKillMatrix(checks: KillMatrix['checks'], graded: GradedMutant[]): KillMatrix {
  const rows = new Map<string, KillMatrixRow>();
  for (const { mutant, catches, seed, result } of graded) {
    const row = rows.get(mutant) ?? { mutant, catches, seeds: [], lost: {} };
    rows.set(mutant, row);
    const column = row.seeds.push(seed) - 1;
    for (const check of result.checks) {
      const lost = Math.round((check.points - check.score) * 100) / 100;
      if (lost <= 0) continue;
      const perSeed = (row.lost[check.id] ??= []);
      while (perSeed.length < column) perSeed.push(0);
      perSeed[column] = lost;
    }
  }
  for (const row of rows.values()) {
    for (const perSeed of Object.values(row.lost)) while (perSeed.length < row.seeds.length) perSeed.push(0);
  }
  return { checks, mutants: [...rows.values()] };
}
