import type { LabValidation } from '../grading/validate-lab.ts';

/** `lab validate` output: one line per step, failures first in colour, a verdict per lab. */
export function formatValidation(validations: LabValidation[], options: { color: boolean }): string {
  const paint = (code: number, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  for (const validation of validations) {
    lines.push(`${paint(1, validation.lab)}  ${validation.ok ? paint(32, 'valid') : paint(31, 'INVALID')}`);
    for (const problem of validation.problems) lines.push(`  ${paint(31, 'problem')}  ${problem.replaceAll('\n', '\n           ')}`);
    const label = (step: LabValidation['steps'][number]) => (step.kind === 'mutant' ? `mutant ${step.name}` : step.name);
    const labelWidth = Math.max(0, ...validation.steps.map((step) => label(step).length));
    const scoreWidth = Math.max(0, ...validation.steps.map((step) => `${step.score}/${step.maxScore}`.length));
    for (const step of validation.steps) {
      const mark = step.ok ? paint(32, 'ok  ') : paint(31, 'FAIL');
      lines.push(`  ${mark}  ${label(step).padEnd(labelWidth)}  seed ${String(step.seed).padEnd(6)} ${`${step.score}/${step.maxScore}`.padStart(scoreWidth)}  ${step.message}`);
    }
    lines.push('');
  }
  const invalid = validations.filter((validation) => !validation.ok).length;
  lines.push(invalid === 0 ? paint(32, `${validations.length} lab(s) valid`) : paint(31, `${invalid} of ${validations.length} lab(s) invalid`));
  return `${lines.join('\n')}\n`;
}
