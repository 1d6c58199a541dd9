import type { GradeResult } from '../grading/result.ts';
import { revealsDetail, WITHHELD } from './feedback.ts';
import { roundPoints } from './points.ts';
import { describeRun } from './run-description.ts';
import { head, printable, tail } from './safe-text.ts';

/**
 * A pull-request comment: a score line, a table of checks, then details of what failed. The
 * learner reads it, so a hidden check shows what the program did but not what was expected.
 */
export function formatMarkdown(result: GradeResult): string {
  const icon = result.status === 'pass' ? '✅' : result.status === 'error' ? '⚠️' : '❌';
  const lines = [
    `### ${icon} ${cell(result.lab.id)}: ${cell(result.lab.title)} — ${roundPoints(result.score)}/${roundPoints(result.maxScore)}`,
    '',
    `Seed \`${result.seed}\`, ${result.checksRun === 'public' ? 'public checks only' : 'all checks'}.`,
    '',
  ];
  const runLine = describeRun(result.run);
  if (runLine) lines.push(`> **${runLine}**`, '');
  lines.push('| | Check | Points |', '|---|---|---|');
  for (const check of result.checks) {
    const mark = check.status === 'pass' ? '✅' : check.status === 'error' ? '⚠️' : '❌';
    lines.push(`| ${mark} | ${cell(check.title)}${check.visibility === 'hidden' ? ' *(hidden)*' : ''} | ${roundPoints(check.score)}/${roundPoints(check.points)} |`);
  }
  const failed = result.checks.filter((check) => check.status !== 'pass');
  if (failed.length > 0) lines.push('', '#### What to look at', '');
  for (const check of failed) {
    lines.push(`**${cell(check.title)}**${check.cause ? ` — failed after a ${check.cause.replace('-', ' ')}` : ''}`, '');
    if (check.error) lines.push(`- Grader error (not your fault): ${inline(check.error)}`);
    const reveal = revealsDetail(check, 'learner');
    if (reveal && check.expected !== undefined) lines.push(`- Expected: ${inline(check.expected)}`);
    if (check.actual !== undefined) lines.push(`- Actual: ${inline(check.actual)}`);
    if (reveal && check.hint !== undefined) lines.push(`- Hint: ${cell(check.hint)}`);
    if (!reveal && check.status === 'fail') lines.push(`- ${WITHHELD}`);
    lines.push('');
  }
  if (result.run.buildError) lines.push('<details><summary>Build error</summary>', '', fence(result.run.buildError), '', '</details>', '');
  else if (runLine && (result.run.stderr || result.run.stdout)) {
    lines.push('<details><summary>Last lines of output</summary>', '', fence(tail(result.run.stderr || result.run.stdout, 3000)), '', '</details>', '');
  }
  for (const error of result.graderErrors) lines.push(`> ⚠️ Grader error (not your fault): ${cell(error)}`);
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Text in a table cell or a line: no pipes, no line breaks, no HTML. */
function cell(text: string): string {
  return printable(text).replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code that survives backticks in the content. */
function inline(text: string): string {
  const clean = head(printable(text).replace(/[\r\n]+/g, ' '), 500);
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((match) => match[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks} ${clean} ${ticks}`;
}

function fence(text: string): string {
  const clean = printable(text).trimEnd();
  const longest = Math.max(2, ...[...clean.matchAll(/`+/g)].map((match) => match[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}text\n${clean}\n${ticks}`;
}
