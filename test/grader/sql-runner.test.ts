import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type RunningPostgres } from '../../grader/environment/postgres.ts';
import { parseSqlFile } from '../../grader/runner/sql-file.ts';
import { runSqlQueries } from '../../grader/runner/sql-runner.ts';

let postgres: RunningPostgres;

beforeAll(async () => {
  postgres = await startEmbeddedPostgres({ port: 0 });
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  await admin.query(`CREATE TABLE invoices (id text PRIMARY KEY, amount numeric(12,2), issued_at timestamptz, due date)`);
  await admin.query(`INSERT INTO invoices VALUES ('INV-1', 10.10, '2024-03-31 23:30:00+00', '2024-04-30'), ('INV-2', 99.99, '2024-04-01 00:15:00+02', '2024-05-01')`);
  await admin.query(`CREATE SCHEMA grader`);
  await admin.query(`CREATE TABLE grader.expected (value text)`);
  await admin.end();
});

afterAll(async () => {
  await postgres?.stop();
});

function run(sql: string, timeLimitMs = 5_000) {
  return runSqlQueries(parseSqlFile(sql), { databaseUrl: postgres.adminUrl, timeLimitMs });
}

describe('runSqlQueries', () => {
  it('returns rows by query name, keeping numeric and time values exact as text', async () => {
    const [result] = await run('-- name: all\nSELECT id, amount, issued_at, due FROM invoices ORDER BY id;');
    expect(result).toMatchObject({ name: 'all', ok: true, columns: ['id', 'amount', 'issued_at', 'due'] });
    expect(result?.rows[0]).toEqual({ id: 'INV-1', amount: '10.10', issued_at: expect.stringMatching(/^2024-03-31 23:30:00/), due: '2024-04-30' });
  });

  it('reports each failing query on its own and runs the others', async () => {
    const results = await run('-- name: broken\nSELEC 1;\n-- name: fine\nSELECT count(*)::int AS n FROM invoices;');
    expect(results[0]).toMatchObject({ name: 'broken', ok: false, error: expect.stringContaining('syntax error') });
    expect(results[1]).toMatchObject({ name: 'fine', ok: true, rows: [{ n: 2 }] });
  });

  it('cannot write, chain statements, escalate or read files', async () => {
    const results = await run(
      [
        '-- name: write\nDELETE FROM invoices',
        '-- name: chained\nSELECT 1; DELETE FROM invoices',
        '-- name: escalate\nSET ROLE postgres',
        '-- name: file\nSELECT pg_read_file(\'/etc/passwd\')',
        '-- name: hidden_table\nSELECT * FROM grader.expected',
      ].join('\n'),
    );
    for (const result of results) expect(result.ok, `${result.name}: ${JSON.stringify(result)}`).toBe(false);
    const [check] = await run('-- name: count\nSELECT count(*)::int AS n FROM invoices');
    expect(check?.rows).toEqual([{ n: 2 }]);
  });

  it('stops a query at the statement timeout', async () => {
    const [result] = await run('-- name: slow\nSELECT pg_sleep(5)', 200);
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('statement timeout') });
  });

  it('drops its temporary role afterwards', async () => {
    await run('-- name: one\nSELECT 1');
    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    const { rows } = await admin.query("SELECT rolname FROM pg_roles WHERE rolname LIKE 'lab_submission_%'");
    await admin.end();
    expect(rows).toEqual([]);
  });
});
