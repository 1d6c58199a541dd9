import type { KillMatrix } from '../grading/kill-matrix.ts';
import type { SetupValidation } from '../grading/setup-only.ts';
import type { LabValidation } from '../grading/validate-lab.ts';

type Paint = (code: number, text: string) => string;

function painter(color: boolean): Paint {
  return (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
}

/** `lab validate` output: the seeds, one line per step, failures in colour, a verdict per lab. */
export function formatValidation(validations: LabValidation[], options: { color: boolean; matrix?: boolean }): string {
  const paint = painter(options.color);
  const lines: string[] = [];
  for (const validation of validations) {
    const verdict = validation.ok ? paint(32, 'valid') : validation.broken ? paint(31, 'BROKEN') : paint(31, 'INVALID');
    lines.push(`${paint(1, validation.lab)}  ${verdict}`);
    if (validation.seeds) {
      const { fixed, random, mutants, determinism } = validation.seeds;
      const randomPart = random.length > 0 ? ` + random ${random.join(', ')}` : '';
      lines.push(`  seeds    reference ${seedRange(fixed)}${randomPart}; mutants ${mutants.join(', ')}; regraded ${determinism}`);
    }
    for (const problem of validation.problems) lines.push(`  ${paint(31, 'problem')}  ${problem.replaceAll('\n', '\n           ')}`);
    const label = (step: LabValidation['steps'][number]) => (step.kind === 'mutant' ? `mutant ${step.name}` : step.kind === 'determinism' ? 'reproducible' : step.name);
    const labelWidth = Math.max(0, ...validation.steps.map((step) => label(step).length));
    const scoreWidth = Math.max(0, ...validation.steps.map((step) => `${step.score}/${step.maxScore}`.length));
    for (const step of validation.steps) {
      const mark = step.ok ? paint(32, 'ok  ') : paint(31, 'FAIL');
      lines.push(`  ${mark}  ${label(step).padEnd(labelWidth)}  seed ${String(step.seed).padEnd(10)} ${`${step.score}/${step.maxScore}`.padStart(scoreWidth)}  ${step.message}`);
    }
    const failedSeeds = [...new Set(validation.steps.filter((step) => !step.ok).map((step) => step.seed))];
    if (failedSeeds.length > 0) lines.push(`  replay   lab validate ${validation.lab} --seed ${failedSeeds.join(',')}`);
    if (options.matrix && validation.matrix) lines.push(...formatKillMatrix(validation.matrix, paint).map((line) => `  ${line}`));
    lines.push('');
  }
  const invalid = validations.filter((validation) => !validation.ok).length;
  lines.push(invalid === 0 ? paint(32, `${validations.length} lab(s) valid`) : paint(31, `${invalid} of ${validations.length} lab(s) invalid`));
  return `${lines.join('\n')}\n`;
}

/** 1, 2, 3, 4, 5 → "1-5"; anything else as a list. */
function seedRange(seeds: number[]): string {
  const consecutive = seeds.length > 2 && seeds.every((seed, index) => seed === seeds[0]! + index);
  return consecutive ? `${seeds[0]}-${seeds.at(-1)}` : seeds.join(', ');
}

/**
 * Mutants down, checks across (numbered, with a legend, so the table stays narrow). A cell is
 * the points the check took from the mutant ("-15", or "-15/-3" when its seeds disagree),
 * "." when it took none; brackets mark the check the mutant's mutant.yaml names.
 */
export function formatKillMatrix(matrix: KillMatrix, paint: Paint = painter(false)): string[] {
  if (matrix.mutants.length === 0) return ['kill matrix: no mutants'];
  const cell = (row: KillMatrix['mutants'][number], check: string) => {
    const lost = row.lost[check];
    const text = !lost ? '.' : new Set(lost).size === 1 ? `-${lost[0]}` : lost.map((points) => `-${points}`).join('/');
    return row.catches === check ? `[${text}]` : text;
  };
  const nameWidth = Math.max(6, ...matrix.mutants.map((row) => row.mutant.length));
  const widths = matrix.checks.map((check, index) => Math.max(String(index + 1).length, ...matrix.mutants.map((row) => cell(row, check.id).length)));
  const header = `${'mutant'.padEnd(nameWidth)}  ${matrix.checks.map((_, index) => String(index + 1).padStart(widths[index]!)).join('  ')}`;
  const rows = matrix.mutants.map((row) => {
    const cells = matrix.checks.map((check, index) => {
      const text = cell(row, check.id).padStart(widths[index]!);
      const named = row.catches === check.id;
      return named ? paint(row.lost[check.id]?.every((points) => points > 0) ? 32 : 31, text) : text;
    });
    return `${row.mutant.padEnd(nameWidth)}  ${cells.join('  ')}`;
  });
  const legend = matrix.checks.map((check, index) => `${index + 1} ${check.id} (${check.points})`);
  return ['kill matrix: points each check took from each mutant ([ ] = the check it names)', header, ...rows, `checks: ${legend.join(', ')}`];
}

/** `lab validate --setup-only`: per lab, how many seeds set up, and every seed that did not, grouped by message. */
export function formatSetupValidation(validations: SetupValidation[], options: { color: boolean }): string {
  const paint = painter(options.color);
  const lines: string[] = [];
  for (const validation of validations) {
    const { lab, seeds, failures, durationMs } = validation;
    const summary = `${seeds.length - failures.length} of ${seeds.length} seeds set up in ${(durationMs / 1000).toFixed(1)} s`;
    lines.push(`${paint(1, lab)}  ${failures.length === 0 ? paint(32, summary) : paint(31, `${summary}; ${failures.length} failed`)}`);
    const byMessage = new Map<string, number[]>();
    for (const failure of failures) byMessage.set(failure.message, [...(byMessage.get(failure.message) ?? []), failure.seed]);
    for (const [message, failed] of byMessage) {
      lines.push(`  ${paint(31, 'FAIL')}  ${failed.length} seed(s): ${message.replaceAll('\n', '\n        ')}`);
      lines.push(`        seeds ${failed.join(', ')}`);
    }
    if (failures.length > 0) lines.push(`  replay   lab start ${lab} --seed ${failures[0]!.seed}`);
    lines.push('');
  }
  const failing = validations.filter((validation) => validation.failures.length > 0).length;
  lines.push(failing === 0 ? paint(32, `every seed set up in ${validations.length} lab(s)`) : paint(31, `${failing} of ${validations.length} lab(s) have seeds that do not set up`));
  return `${lines.join('\n')}\n`;
}
