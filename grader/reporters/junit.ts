import type { GradeResult } from '../grading/result.ts';
import type { CheckResult } from '../grading/result.ts';
import { checkFeedback, roundPoints, testName } from './feedback.ts';
import { describeRun } from './run-description.ts';
import { tail } from './safe-text.ts';

/**
 * JUnit XML as Jenkins, GitLab and GitHub Actions read it: one testsuite per lab, one testcase
 * per check, named by check id and title (never the score, so test history follows a check
 * across seeds). Students read it in CI, so hidden checks keep their expected value and hint.
 */
export function formatJunit(result: GradeResult): string {
  const failures = result.checks.filter((check) => check.status === 'fail').length;
  const errors = result.checks.filter((check) => check.status === 'error').length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(result.lab.id)}" tests="${result.checks.length}" failures="${failures}" errors="${errors}" time="${seconds(result.durationMs)}">`,
    `  <testsuite name="${xml(`${result.lab.id}: ${result.lab.title}`)}" tests="${result.checks.length}" failures="${failures}" errors="${errors}" time="${seconds(result.durationMs)}" timestamp="${xml(result.startedAt.replace(/\.\d+Z$/, ''))}">`,
    '    <properties>',
    `      <property name="seed" value="${result.seed}"/>`,
    `      <property name="score" value="${result.score}"/>`,
    `      <property name="max_score" value="${result.maxScore}"/>`,
    `      <property name="run_status" value="${xml(result.run.status)}"/>`,
    '    </properties>',
  ];
  for (const check of result.checks) {
    const open = `    <testcase classname="${xml(`${result.lab.id}.${check.visibility}`)}" name="${xml(testName(check))}" time="${seconds(check.durationMs)}"`;
    if (check.status === 'pass') {
      lines.push(`${open}/>`);
      continue;
    }
    const element = check.status === 'error' ? 'error' : 'failure';
    const body = [checkFeedback(check, 'learner'), check.cause === 'build-error' ? `Build error:\n${result.run.buildError ?? ''}` : undefined].filter(Boolean).join('\n');
    lines.push(`${open}>`, `      <${element} message="${xml(failureMessage(check))}" type="${check.cause ?? element}">${xml(body, false)}</${element}>`, '    </testcase>');
  }
  const runLine = describeRun(result.run);
  if (runLine || result.run.stdout) lines.push(`    <system-out>${xml(tail(result.run.stdout, 10_000), false)}</system-out>`);
  if (runLine || result.run.stderr) lines.push(`    <system-err>${xml([runLine, result.run.buildError, tail(result.run.stderr, 10_000)].filter(Boolean).join('\n'), false)}</system-err>`);
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

/** One line for the failure's `message` attribute, which CI servers show beside the test name. */
function failureMessage(check: CheckResult): string {
  if (check.status === 'error') return `grader error: ${check.error ?? ''}`;
  const lost = `${roundPoints(check.points - check.score)} of ${roundPoints(check.points)} points lost`;
  return check.cause ? `${lost} after a ${check.cause.replace('-', ' ')} of the submission` : lost;
}

/** Escapes for text and attribute values, and drops characters XML 1.0 cannot carry at all. */
export function xml(text: string, attribute = true): string {
  const escaped = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
  // Attribute values lose raw line breaks and tabs to normalisation; character references keep them.
  return attribute ? escaped.replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;') : escaped.replace(/\r/g, '&#13;');
}
