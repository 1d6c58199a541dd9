import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import { TRAINEE } from '../postgres.ts';
import { loadTestcontainers, serviceContainer, WITHOUT_IMAGE_HEALTHCHECK } from './runtime.ts';

const LAB_ROLES = fileURLToPath(new URL('../../../docker/postgres/lab-roles.sql', import.meta.url));
const ALIAS = 'postgres';
/** The image's postgres user (docker/postgres/Dockerfile, Debian's package), owner of the data folder. */
const POSTGRES_UID = 100;
const POSTGRES_GID = 102;

export interface StartedPostgres {
  container: StartedTestContainer;
  /** Superuser on the `lab` database, for scenarios and checks (from this machine). */
  adminUrl: string;
  /** The trainee's role, owner of `lab` (from this machine). */
  traineeUrl: string;
  /** The trainee's URL from another container on the run's network. */
  internalTraineeUrl: string;
}

export interface PostgresOptions {
  image: string;
  runId: string;
  network: StartedNetwork;
}

/** A real PostgreSQL 17 with the trainee's role and database, as the embedded provider makes them. */
export async function startPostgresContainer(options: PostgresOptions): Promise<StartedPostgres> {
  const { Wait } = await loadTestcontainers();
  const service = await serviceContainer(options.image, options.runId);
  // Fresh per run: the superuser's password reaches checks only, never the submission.
  const superuserPassword = randomBytes(18).toString('base64url');
  const container = await service
    .withNetwork(options.network)
    .withNetworkAliases(ALIAS)
    // initdb without its closing fsync of every file, into memory: on overlay2 under load the
    // cluster's initialisation was most of the container's start.
    .withEnvironment({ POSTGRES_USER: 'postgres', POSTGRES_PASSWORD: superuserPassword, POSTGRES_INITDB_ARGS: '--no-sync' })
    .withTmpFs({ '/var/lib/postgresql/data': `rw,uid=${POSTGRES_UID},gid=${POSTGRES_GID},mode=0700` })
    .withCopyFilesToContainer([{ source: LAB_ROLES, target: '/docker-entrypoint-initdb.d/lab-roles.sql', mode: 0o644 }])
    // A lab database is disposable: durability is traded for speed, as on the embedded provider.
    .withCommand(['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])
    .withExposedPorts(5432)
    .withHealthCheck(WITHOUT_IMAGE_HEALTHCHECK)
    // The entrypoint's initialisation server logs elsewhere: this line is the real server's.
    .withWaitStrategy(Wait.forLogMessage('database system is ready to accept connections'))
    .withStartupTimeout(120_000)
    .start();
  const address = `${container.getHost()}:${container.getMappedPort(5432)}`;
  return {
    container,
    adminUrl: `postgres://postgres:${superuserPassword}@${address}/${TRAINEE.database}`,
    traineeUrl: `postgres://${TRAINEE.user}:${TRAINEE.password}@${address}/${TRAINEE.database}`,
    internalTraineeUrl: `postgres://${TRAINEE.user}:${TRAINEE.password}@${ALIAS}:5432/${TRAINEE.database}`,
  };
}
