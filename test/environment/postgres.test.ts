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

  it('removes its data directory when stopped', async () => {
    const other = await startEmbeddedPostgres({ port: 0 });
    expect(existsSync(other.dataDir)).toBe(true);
    await other.stop();
    expect(existsSync(other.dataDir)).toBe(false);
  });
});
