import { describe, expect, it } from 'vitest';
import { cohortCsv } from '../../grader/cohort/cohort-csv.ts';

// Folder names come from candidates: a cell a spreadsheet would run as a formula is quoted.
const rowOf = (name: string) => cohortCsv([{ name, dir: `/cohort/${name}`, skipped: 'no entry file' }], 7).split('\r\n')[1]!;

describe('cohort.csv', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ["-1+cmd|'calc'!A0", "'-1+cmd|'calc'!A0"],
    ['+1', "'+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['-', "'-"],
  ])('keeps %s from being read as a formula', (name, cell) => {
    expect(rowOf(name).split(',')[0]).toBe(cell);
  });

  it('leaves names and numbers that cannot run as they are', () => {
    expect(rowOf('candidate-01').split(',')[0]).toBe('candidate-01');
    expect(rowOf('-12').split(',')[0]).toBe('-12');
    expect(rowOf('-0.5').split(',')[0]).toBe('-0.5');
  });
});
