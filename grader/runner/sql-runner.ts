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
  durationMs: number;
}

export interface SqlRunOptions {
  /** Superuser URL of the lab database; used only to create and drop the trainee's role. */
  databaseUrl: string;
  statementTimeoutMs: number;
  /** Rows kept per query; more is cut (and the query marked) to keep results bounded. */
  maxRows?: number;
}

/** Keep exact text for types JavaScript would round or shift into the local time zone. */
const TEXT_TYPES = [1082, 1114, 1184, 1700, 20];
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    TEXT_TYPES.includes(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Runs a trainee's queries as a throw-away login role that may only read the lab's tables
 * (every schema except `grader*`, where a scenario keeps what the trainee must not see),
 * one read-only transaction per query, rolled back. Each query goes through the extended
 * protocol, so one name holds exactly one statement.
 */
export async function runSqlQueries(queries: NamedQuery[], options: SqlRunOptions): Promise<QueryResult[]> {
  const role = await createReadOnlyRole(options.databaseUrl);
  const client = new pg.Client({ connectionString: role.url, types: typeParsers });
  try {
    await client.connect();
    await client.query(`SET statement_timeout = ${Math.max(1, Math.round(options.statementTimeoutMs))}`);
    const results: QueryResult[] = [];
    for (const query of queries) results.push(await runOne(client, query, options.maxRows ?? 10_000));
    return results;
  } finally {
    await client.end().catch(() => {});
    await role.drop();
  }
}

async function runOne(client: pg.Client, query: NamedQuery, maxRows: number): Promise<QueryResult> {
  const started = performance.now();
  try {
    await client.query('BEGIN READ ONLY');
    const result = await client.query({ text: query.sql, queryMode: 'extended' } as pg.QueryConfig);
    return {
      name: query.name,
      ok: true,
      columns: result.fields.map((field) => field.name),
      rows: (result.rows as Record<string, unknown>[]).slice(0, maxRows),
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    return {
      name: query.name,
      ok: false,
      columns: [],
      rows: [],
      error: error instanceof Error ? error.message : String(error),
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await client.query('ROLLBACK').catch(() => {});
  }
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
