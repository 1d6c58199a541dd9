import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../grader/environment/postgres.ts';
import { jsonOf } from '../support/http.ts';

interface StartedEnvironment {
  seed: number;
  adminToken: string;
  services: Record<string, { url?: string; docs?: string; admin?: string; bootstrapServers?: string; port?: number; dataDir?: string }>;
  variables: Record<string, string>;
}

const projectRoot = new URL('../../', import.meta.url).pathname;

describe('npm start', () => {
  let child: ChildProcess;
  let started: StartedEnvironment;
  let stderr = '';

  beforeAll(async () => {
    child = spawn('npm', ['start', '--silent', '--', '--ephemeral-ports', '--json', '--seed', '7'], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so Ctrl-C can be sent the way a terminal sends it: to the group.
      detached: true,
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout! });
    started = await new Promise<StartedEnvironment>((resolve, reject) => {
      lines.on('line', (line) => {
        if (line.startsWith('{')) resolve(JSON.parse(line) as StartedEnvironment);
      });
      child.once('exit', (code) => reject(new Error(`npm start exited early with ${code}: ${stderr}`)));
    });
  }, 90_000);

  afterAll(() => {
    if (groupAlive(child.pid!)) process.kill(-child.pid!, 'SIGKILL');
  });

  it('serves every mock system with its docs and admin API', async () => {
    for (const name of ['crm', 'erp', 'partner']) {
      const service = started.services[name]!;
      expect((await fetch(service.docs!)).status).toBe(200);
      expect((await jsonOf(fetch(`${service.url}/openapi.json`))).openapi).toBe('3.1.0');
      const withToken = { headers: { authorization: `Bearer ${started.adminToken}` } };
      expect((await jsonOf(fetch(`${service.admin}/requests/count`, withToken))).count).toBe(0);
    }
  });

  it('guards the admin API with the printed token and journals a refused call', async () => {
    const service = started.services.crm!;
    const refused = await fetch(`${service.admin}/requests`, { method: 'DELETE' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const journal = (await jsonOf(fetch(`${service.admin}/requests?path=/__admin*`, { headers: { authorization: `Bearer ${started.adminToken}` } }))) as {
      requests: Array<{ method: string; status: number }>;
    };
    expect(journal.requests).toEqual([expect.objectContaining({ method: 'DELETE', status: 401 })]);
  });

  it('gives the variables a submission uses, and they work', async () => {
    const { variables } = started;
    expect(variables.LAB_SEED).toBe('7');
    const contacts = await fetch(`${variables.CRM_URL}/contacts?limit=1`, { headers: { 'x-api-key': variables.CRM_API_KEY! } });
    expect(contacts.status).toBe(200);
    const token = await fetch(`${variables.ERP_URL}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: variables.ERP_CLIENT_ID!, client_secret: variables.ERP_CLIENT_SECRET! }),
    });
    expect(token.status).toBe(200);
    const client = new pg.Client({ connectionString: variables.DATABASE_URL });
    await client.connect();
    expect((await client.query('SELECT 1 + 1 AS two')).rows[0].two).toBe(2);
    await client.end();
    const [host, port] = variables.KAFKA_BROKERS!.split(':');
    await new Promise<void>((resolve, reject) => connect(Number(port), host, resolve).once('error', reject).unref());
  });

  it('stops everything on Ctrl-C, leaving no process and no data behind', async () => {
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    process.kill(-child.pid!, 'SIGINT');
    // npm re-raises the signal its script stopped on; the lab process itself exits 0.
    expect(await exited).toSatisfy(({ code, signal }: { code: number | null; signal: string | null }) => code === 0 || signal === 'SIGINT');
    expect(stderr).toContain('Stopping');
    expect(stderr).not.toMatch(/error/i);
    await expect.poll(() => groupAlive(child.pid!), { timeout: 10_000 }).toBe(false);
    expect(existsSync(started.services.postgres!.dataDir!)).toBe(false);
    const postgresPort = started.services.postgres!.port!;
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(postgresPort, '127.0.0.1', () => resolve(false));
      socket.once('error', () => resolve(true));
    });
    expect(refused, 'PostgreSQL is still listening after the environment stopped').toBe(true);
  }, 30_000);
});

/** True while any process of the group (npm, the lab process, PostgreSQL) is still running. */
function groupAlive(groupId: number): boolean {
  try {
    process.kill(-groupId, 0);
    return true;
  } catch {
    return false;
  }
}

/** `lab start` of lab 05 (PostgreSQL only) in a process group of its own, once it has printed its addresses. */
async function startLab05(): Promise<{ child: ChildProcess; started: StartedEnvironment; exited: Promise<number | null>; stderr: () => string }> {
  const child = spawn(process.execPath, ['bin/lab.js', 'start', '05-reconciliation-sql', '--ephemeral-ports', '--json', '--seed', '7'], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = await new Promise<StartedEnvironment>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line) as StartedEnvironment);
    });
    void exited.then((code) => reject(new Error(`lab start exited early with ${code}: ${stderr}`)));
  });
  return { child, started, exited, stderr: () => stderr };
}

describe('lab start of a lab whose only service is PostgreSQL', () => {
  it('keeps running until Ctrl-C, then stops PostgreSQL', async () => {
    // PostgreSQL runs detached from the lab process, which then holds no server of its own:
    // it once exited as soon as it had printed the addresses, leaving PostgreSQL behind.
    const { child, started, exited, stderr } = await startLab05();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(child.exitCode, `lab start ended by itself: ${stderr()}`).toBeNull();
      const database = new pg.Client({ connectionString: started.variables.DATABASE_URL });
      await database.connect();
      await database.end();

      process.kill(-child.pid!, 'SIGINT');
      expect(await exited).toBe(0);
      await expect.poll(() => groupAlive(child.pid!), { timeout: 10_000 }).toBe(false);
      expect(existsSync(started.services.postgres!.dataDir!)).toBe(false);
    } finally {
      if (groupAlive(child.pid!)) process.kill(-child.pid!, 'SIGKILL');
    }
  }, 60_000);
  it('leaves no server behind for long when killed outright: the next start stops and removes it', async () => {
    const { child, started, exited } = await startLab05();
    process.kill(child.pid!, 'SIGKILL');
    await exited;
    const { port, dataDir } = started.services.postgres!;
    expect(await listening(port!), 'the killed start left its server running').toBe(true);

    const next = await startEmbeddedPostgres({ port: 0 });
    try {
      expect(existsSync(dirname(dataDir!))).toBe(false);
      expect(await listening(port!)).toBe(false);
    } finally {
      await next.stop();
    }
  }, 60_000);
});

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
