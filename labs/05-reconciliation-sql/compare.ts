import type { CheckOutcome } from '../../grader/checks/scenario.ts';
import type { QueryResult } from '../../grader/runner/sql-runner.ts';
import { minorUnitsOf } from './dataset.ts';
import type { Row } from './reconcile.ts';

/**
 * Compares one named query's result set with the expected rows. Values are normalised by
 * column kind, so `10.5`, `10.50` and a float 10.499999999 are the same amount, a bigint
 * count equals an int, and a date printed as a timestamp at midnight is still that date.
 */
export type ColumnKind = 'int' | 'text' | 'date' | 'amount';

export interface QuerySpec {
  name: string;
  columns: Record<string, ColumnKind>;
  /** The brief asks for an ORDER BY; otherwise row order is free. */
  ordered: boolean;
  /** Which column holds the currency that scales the row's amounts (two decimals when absent). */
  currencyColumn?: string;
}

export function compareQuery(spec: QuerySpec, result: QueryResult | undefined, expectedRows: Row[], points: number): CheckOutcome {
  const columns = Object.keys(spec.columns);
  if (!result) {
    return { passed: false, score: 0, expected: `a query named "${spec.name}"`, actual: `no "-- name: ${spec.name}" in the file (or the file did not parse)` };
  }
  if (!result.ok) {
    return { passed: false, score: 0, expected: rows(expectedRows.length), actual: `the query failed: ${firstLine(result.error ?? 'unknown error')}` };
  }
  const missingColumns = columns.filter((column) => !result.columns.includes(column));
  if (missingColumns.length > 0) {
    return {
      passed: false,
      score: 0,
      expected: `columns ${columns.join(', ')}`,
      actual: `columns ${result.columns.join(', ') || '(none)'}; missing ${missingColumns.join(', ')}`,
    };
  }
  const expected = expectedRows.map((row) => canonical(spec, row, true));
  const actual = result.rows.map((row) => canonical(spec, row, false));
  const unmatched = [...expected];
  const extra: string[] = [];
  for (const row of actual) {
    const index = unmatched.indexOf(row);
    if (index >= 0) unmatched.splice(index, 1);
    else extra.push(row);
  }
  const matched = expected.length - unmatched.length;
  if (unmatched.length === 0 && extra.length === 0) {
    if (!spec.ordered || actual.every((row, index) => row === expected[index])) return { passed: true };
    return {
      passed: false,
      score: Math.floor(points / 2),
      expected: `the same ${expected.length} rows in the order the brief asks for, first ${expected[0]}`,
      actual: `right rows in another order, first ${actual[0]}`,
    };
  }
  const share = expected.length + extra.length === 0 ? 1 : matched / (expected.length + extra.length);
  const problems = [
    unmatched.length > 0 ? `${rows(unmatched.length)} expected but missing, e.g. ${unmatched[0]}` : '',
    extra.length > 0 ? `${rows(extra.length)} that should not be there, e.g. ${extra[0]}` : '',
  ].filter(Boolean);
  return {
    passed: false,
    score: Math.floor(points * share),
    expected: `${rows(expected.length)}${expected[0] ? `, e.g. ${expected[0]}` : ''}`,
    actual: `${rows(actual.length)}: ${problems.join('; ')}`,
  };
}

/** One row as a stable text; expected rows hold amounts in minor units already. */
function canonical(spec: QuerySpec, row: Record<string, unknown>, amountsInMinorUnits: boolean): string {
  const currency = spec.currencyColumn ? String(row[spec.currencyColumn] ?? '').trim() : 'EUR';
  const scale = 10 ** minorUnitsOf(currency);
  const parts = Object.entries(spec.columns).map(([column, kind]) => {
    const value = row[column];
    return `${column}=${normalise(kind, value, amountsInMinorUnits ? 1 : scale, scale)}`;
  });
  return `{${parts.join(', ')}}`;
}

function normalise(kind: ColumnKind, value: unknown, toMinor: number, scale: number): string {
  if (value === null || value === undefined) return 'NULL';
  switch (kind) {
    case 'int': {
      const number = Number(value);
      return Number.isFinite(number) ? String(number) : JSON.stringify(value);
    }
    case 'amount': {
      const number = Number(value);
      if (!Number.isFinite(number)) return JSON.stringify(value);
      // Shown in major units, as the trainee wrote them; compared to the minor unit.
      const minor = Math.round(number * toMinor);
      return (minor / scale).toFixed(Math.round(Math.log10(scale)));
    }
    case 'date': {
      const text = value instanceof Date ? value.toISOString() : String(value);
      const date = /^(\d{4}-\d{2}-\d{2})(?:[ T]00:00:00(?:\.0+)?(?:Z|[+-]00(?::?00)?)?)?$/.exec(text);
      return date ? date[1]! : JSON.stringify(text);
    }
    case 'text':
      return JSON.stringify(String(value));
  }
}

function rows(count: number): string {
  return `${count} ${count === 1 ? 'row' : 'rows'}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
