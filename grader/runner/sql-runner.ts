import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { NamedQuery } from './sql-file.ts';

/** One named query's outcome. Values come back as PostgreSQL prints them (numeric, dates and timestamps as text). */
export interface QueryResult {
  name: string;
  ok: boolean;
  columns: string[];
  rows: Record<string, unknown>[];
  /** The database's message when the query failed (syntax error, timeout, permission). */
  error?: string;
  /** The query ran out of the file's time limit (or never started because it was used up). */
  timedOut?: boolean;
  /** More rows (or bytes) came than the grader keeps: `rows` holds the first ones. */
  truncated?: boolean;
  durationMs: number;
}

export interface SqlRunOptions {
  /** Superuser URL of the lab database; used only to create and drop the trainee's role. */
  databaseUrl: string;
  /** Time for the whole file: each query gets what the ones before it left. */
  timeLimitMs: number;
  /** Rows kept per query; more is cut (and the query marked) to keep results bounded. */
  maxRows?: number;
  /** Bytes the server may send for one query's results; past them the query is cut. */
  maxBytes?: number;
}

const DEFAULT_MAX_ROWS = 10_000;
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
/** Rows fetched per round trip: what the grader holds at most beyond what it keeps. */
const BATCH_ROWS = 500;

/** Keep exact text for types JavaScript would round or shift into the local time zone. */
const TEXT_TYPES = [1082, 1114, 1184, 1700, 20];
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    TEXT_TYPES.includes(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Runs a trainee's queries as a throw-away login role that may only read the lab's tables
 * (every schema except `grader*`, where a scenario keeps what the trainee must not see),
 * one read-only transaction per query, rolled back. Each query is one statement (the extended
 * protocol refuses more) read through a cursor, batch by batch, so a query that returns
 * millions of rows costs the grader no more than the rows it keeps. The file's time limit
 * covers every query together: the database ends a query at what is left of it.
 */
export async function runSqlQueries(queries: NamedQuery[], options: SqlRunOptions): Promise<QueryResult[]> {
  const deadline = performance.now() + options.timeLimitMs;
  const role = await createReadOnlyRole(options.databaseUrl);
  try {
    const results: QueryResult[] = [];
    for (const query of queries) {
      results.push(await runOne(role.url, query, deadline, { maxRows: options.maxRows ?? DEFAULT_MAX_ROWS, maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES }));
    }
    return results;
  } finally {
    await role.drop();
  }
}

async function runOne(url: string, query: NamedQuery, deadline: number, caps: { maxRows: number; maxBytes: number }): Promise<QueryResult> {
  const started = performance.now();
  const base = { name: query.name, columns: [] as string[], rows: [] as Record<string, unknown>[] };
  const left = () => Math.round(deadline - performance.now());
  if (left() <= 0) return { ...base, ok: false, timedOut: true, error: 'not run: the SQL file used up its time limit in the queries before this one', durationMs: 0 };

  // A connection of its own: a query cut at the byte cap takes its connection with it.
  const client = new pg.Client({ connectionString: url, types: typeParsers });
  // A connection cut at the byte cap errors once more, on its own; that is expected here.
  client.on('error', () => {});
  let received = 0;
  let cut = false;
  try {
    await client.connect();
    const socket = (client as unknown as { connection: { stream: NodeJS.ReadableStream & { destroy(): void } } }).connection.stream;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > caps.maxBytes && !cut) {
        cut = true;
        socket.destroy();
      }
    });
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, left())}`);
    await client.query({ text: `DECLARE lab_results NO SCROLL CURSOR FOR ${query.sql}`, queryMode: 'extended' } as pg.QueryConfig);
    let columns: string[] = [];
    const rows: Record<string, unknown>[] = [];
    let more = true;
    while (more && rows.length < caps.maxRows) {
      if (left() <= 0) throw new Error('canceling statement due to statement timeout');
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, left())}`);
      const batch = await client.query(`FETCH FORWARD ${BATCH_ROWS} FROM lab_results`);
      columns = batch.fields.map((field) => field.name);
      rows.push(...(batch.rows as Record<string, unknown>[]));
      more = batch.rows.length === BATCH_ROWS;
    }
    const truncated = rows.length > caps.maxRows || (more && rows.length >= caps.maxRows);
    return { ...base, ok: true, columns, rows: rows.slice(0, caps.maxRows), ...(truncated ? { truncated: true } : {}), durationMs: elapsed(started) };
  } catch (error) {
    if (cut) return { ...base, ok: false, truncated: true, error: `cut: the results passed ${caps.maxBytes} bytes`, durationMs: elapsed(started) };
    const message = error instanceof Error ? error.message : String(error);
    const timedOut = /statement timeout/.test(message);
    return { ...base, ok: false, error: message, ...(timedOut ? { timedOut: true } : {}), durationMs: elapsed(started) };
  } finally {
    await client.end().catch(() => {});
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

async function createReadOnlyRole(databaseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `lab_submission_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ db: string; schema: string }>(
      `SELECT current_database() AS db, nspname AS schema FROM pg_namespace
        WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' AND nspname NOT LIKE 'grader%'`,
    );
    const database = rows[0]?.db ?? 'postgres';
    await admin.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}' NOSUPERUSER NOCREATEDB NOCREATEROLE`);
    // Spill files count against the disk, which the time limit alone does not bound.
    await admin.query(`ALTER ROLE ${name} SET temp_file_limit = '256MB'`);
    await admin.query(`GRANT CONNECT ON DATABASE ${quoteIdent(database)} TO ${name}`);
    for (const { schema } of rows) {
      await admin.query(`GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO ${name}`);
      await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${quoteIdent(schema)} TO ${name}`);
    }
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl);
  url.username = name;
  url.password = password;
  return {
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: databaseUrl });
      try {
        await cleanup.connect();
        await cleanup.query(`DROP OWNED BY ${name}`);
        await cleanup.query(`DROP ROLE IF EXISTS ${name}`);
      } catch {
        // A role left behind holds no data and dies with the lab's database.
      } finally {
        await cleanup.end().catch(() => {});
      }
    },
  };
}

function quoteIdent(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
