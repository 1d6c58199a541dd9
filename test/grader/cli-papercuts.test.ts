import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './helpers.ts';

const LAB = join(REPO, 'bin/lab.js');

describe('the lab command on a closed pipe', () => {
  it('ends quietly when the reader has gone (lab list | true)', () => {
    // `true` exits without reading, so every write of lab list meets a closed pipe.
    const piped = spawnSync('bash', ['-c', `set -o pipefail; node ${LAB} list --json | true`], { encoding: 'utf8' });
    expect(piped.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(piped.status).toBe(0);
  });
});

describe('lab start on a port that is taken', () => {
  let holder: Server;
  let port: number;
  beforeAll(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    port = (holder.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it('says which port, and suggests --ephemeral-ports and the port option', () => {
    const result = spawnSync('node', [LAB, 'start', '--services', 'crm', '--crm-port', String(port)], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain(`port ${port}`);
    expect(result.stderr).toContain('--ephemeral-ports');
    expect(result.stderr).toContain('--crm-port');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
