import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type RunningPostgres } from '../../grader/environment/postgres.ts';

describe('the embedded PostgreSQL server', () => {
  let postgres: RunningPostgres;

  beforeAll(async () => {
    postgres = await startEmbeddedPostgres({ port: 0 });
  });
  afterAll(async () => {
    await postgres?.stop();
  });

  it('accepts queries from the trainee role on the lab database', async () => {
    const client = new pg.Client({ connectionString: postgres.traineeUrl });
    await client.connect();
    try {
      await client.query('CREATE TABLE t (id int PRIMARY KEY, amount numeric(12,2))');
      await client.query('INSERT INTO t VALUES (1, 10.50), (2, 4.25)');
      const { rows } = await client.query<{ total: string; version: string }>('SELECT sum(amount)::text AS total, version() AS version FROM t');
      expect(rows[0]!.total).toBe('14.75');
      expect(rows[0]!.version).toMatch(/^PostgreSQL \d+/);
    } finally {
      await client.end();
    }
  });

  it('does not give the trainee role superuser rights', async () => {
    const client = new pg.Client({ connectionString: postgres.traineeUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
      expect(rows[0]!.rolsuper).toBe(false);
      await expect(client.query('CREATE ROLE intruder SUPERUSER')).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
  });

  it("gives the trainee no way to change what the superuser's sessions run", async () => {
    const trainee = new pg.Client({ connectionString: postgres.traineeUrl });
    await trainee.connect();
    try {
      // The usual ways to put a shadowing function on the grader's search path.
      await expect(trainee.query('ALTER DATABASE lab SET search_path = trainee, pg_catalog')).rejects.toThrow(/must be owner|permission denied/);
      await expect(trainee.query('CREATE SCHEMA postgres')).rejects.toThrow(/permission denied/);
      await expect(trainee.query('CREATE FUNCTION public.now() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$')).rejects.toThrow(/permission denied/);
      await trainee.query("CREATE FUNCTION trainee.current_database() RETURNS text LANGUAGE sql AS $$ SELECT 'shadowed'::text $$");
    } finally {
      await trainee.end();
    }
    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    try {
      expect((await admin.query<{ db: string }>('SELECT current_database() AS db')).rows[0]!.db).toBe('lab');
    } finally {
      await admin.end();
    }
  });

  it('removes its data directory when stopped', async () => {
    const other = await startEmbeddedPostgres({ port: 0 });
    expect(existsSync(other.dataDir)).toBe(true);
    await other.stop();
    expect(existsSync(other.dataDir)).toBe(false);
  });
});
