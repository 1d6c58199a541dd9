import type { GradeResult } from '../grading/result.ts';
import { formatClassroom } from './classroom.ts';
import { formatExercism } from './exercism.ts';
import { formatGradescope } from './gradescope.ts';
import { formatJson } from './json.ts';
import { formatJunit } from './junit.ts';
import { formatMarkdown } from './markdown.ts';
import { formatTerminal } from './terminal.ts';

/** Every `--format`, each one platform's document; docs/grader.md has a section per format. */
export const FORMATS = ['terminal', 'json', 'junit', 'md', 'gradescope', 'exercism', 'classroom'] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(value: unknown): value is Format {
  return FORMATS.includes(value as Format);
}

export interface RenderOptions {
  color: boolean;
  verbose: boolean;
}

export function renderReport(result: GradeResult, format: Format, options: RenderOptions): string {
  switch (format) {
    case 'json':
      return formatJson(result);
    case 'junit':
      return formatJunit(result);
    case 'md':
      return formatMarkdown(result);
    case 'gradescope':
      return formatGradescope(result);
    case 'exercism':
      return formatExercism(result);
    case 'classroom':
      return formatClassroom(result);
    case 'terminal':
      return formatTerminal(result, options);
  }
}

/** For `--help`: one line per format. */
export const FORMATS_HELP = `  --format <f>        terminal (default): the summary with expected, actual and hint
                      json: our own full-detail document (hidden checks' details too)
                      junit: JUnit XML for Jenkins, GitLab, GitHub Actions
                      md: a pull-request comment
                      gradescope: Gradescope's autograder results.json
                      exercism: Exercism's test runner results.json (version 3)
                      classroom: what GitHub Classroom's autograding reporter reads
                      junit, md, gradescope, exercism and classroom are for learners: a hidden check
                      shows what the program did, never its expected value or hint`;
