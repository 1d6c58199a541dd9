import type { CheckResult, GradeResult } from '../grading/result.ts';
import { roundPoints } from './points.ts';
import { describeRun } from './run-description.ts';
import { printable, tail } from './safe-text.ts';

export interface TerminalOptions {
  /** Colour only when writing to a terminal. */
  color: boolean;
  /** Show the submission's output even when it ran fine. */
  verbose?: boolean;
}

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;

/** The human summary: score, how the run ended, then each failed check with expected, actual and hint. */
export function formatTerminal(result: GradeResult, options: TerminalOptions): string {
  const paint = (code: keyof typeof CODES, text: string) => (options.color ? `\u001b[${CODES[code]}m${text}\u001b[0m` : text);
  const lines: string[] = [];
  const which = result.checksRun === 'public' ? 'public checks' : 'all checks';
  lines.push(paint('bold', printable(`${result.lab.id}: ${result.lab.title}`)) + paint('dim', `  (seed ${result.seed}, ${which})`));
  lines.push('');
  for (const check of result.checks) lines.push(...formatCheck(check, paint));
  lines.push('');
  const runLine = describeRun(result.run);
  if (runLine) lines.push(paint('yellow', runLine));
  if (result.run.buildError) lines.push(indent(printable(result.run.buildError), '    '));
  if (result.run.outputTruncated) lines.push(paint('yellow', 'Output was cut at the lab\'s output limit.'));
  if ((runLine || options.verbose) && (result.run.stderr || result.run.stdout)) {
    const stream = result.run.stderr ? 'stderr' : 'stdout';
    lines.push(paint('dim', `Last lines of ${stream}:`));
    lines.push(indent(printable(tail(result.run.stderr || result.run.stdout, 1500)).trimEnd(), '    '));
  }
  for (const error of result.graderErrors) lines.push(paint('red', `Grader error (not your fault; tell the trainer): ${printable(error)}`));
  // Only a trainer can act on it, and only when it matters: strangers' code wants every protection.
  if (result.run.status !== 'not-run' && result.run.sandbox.missing.length > 0 && (options.verbose || result.checksRun === 'all')) {
    lines.push(paint('dim', `Sandbox on this machine lacks ${result.run.sandbox.missing.join('; ')}. Grade untrusted code as root or with --env docker (docs/grader.md).`));
  }
  const colour = result.status === 'pass' ? 'green' : result.status === 'error' ? 'red' : 'yellow';
  lines.push(paint(colour, paint('bold', `Score: ${roundPoints(result.score)}/${roundPoints(result.maxScore)}`)) + (result.checksRun === 'public' ? paint('dim', '  (hidden checks run in `lab grade`)') : ''));
  return `${lines.join('\n')}\n`;
}

function formatCheck(check: CheckResult, paint: (code: keyof typeof CODES, text: string) => string): string[] {
  const mark = check.status === 'pass' ? paint('green', 'PASS ') : check.status === 'error' ? paint('red', 'ERROR') : paint('red', 'FAIL ');
  const points = `${roundPoints(check.score)}/${roundPoints(check.points)}`.padStart(7);
  const hidden = check.visibility === 'hidden' ? paint('dim', ' [hidden]') : '';
  const lines = [`  ${mark} ${points}  ${printable(check.title)}${hidden}`];
  if (check.status === 'pass') return lines;
  if (check.cause) lines.push(paint('yellow', `          failed after a ${check.cause.replace('-', ' ')} of the submission`));
  if (check.error) lines.push(`          ${paint('red', 'grader error:')} ${printable(check.error)}`);
  if (check.expected !== undefined) lines.push(`          expected: ${printable(check.expected)}`);
  if (check.actual !== undefined) lines.push(`          actual:   ${printable(check.actual)}`);
  if (check.hint !== undefined) lines.push(`          ${paint('dim', `hint: ${printable(check.hint)}`)}`);
  return lines;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
