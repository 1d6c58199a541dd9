import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crm } from '../../mock-systems/crm/index.ts';
import { erp, type ErpState } from '../../mock-systems/erp/index.ts';
import { partner } from '../../mock-systems/partner/index.ts';
import type { MockSystem } from '../../mock-systems/platform/operation.ts';
import { startMockServer, type MockServer } from '../../mock-systems/platform/server.ts';
import { token } from './erp/erp-client.ts';

/**
 * Schemathesis (PyPI) drives each system from its own contract: examples, generated and
 * deliberately invalid requests, and stateful sequences that follow the contracts' links, with
 * every check it has (no server error, every status, header and body as the contract says,
 * invalid data refused, valid data accepted, auth enforced). The everyday faults and the
 * partner's rate limit are off, as under `npm start -- --no-faults`: an injected 503 is not a
 * contract violation to find. The seed and the number of examples are fixed, so a run is
 * repeatable; .ci/run installs the pinned version.
 */

const SCHEMATHESIS_VERSION = '4.32.5';
const MAX_EXAMPLES = 15;
const HOOKS_DIR = fileURLToPath(new URL('./contract-fuzz/', import.meta.url));

const servers: MockServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

beforeAll(async () => {
  const version = await run('schemathesis', ['--version']).catch((error: Error) => {
    throw new Error(`schemathesis is not installed (${error.message}). Install it with: python3 -m pip install schemathesis==${SCHEMATHESIS_VERSION}`);
  });
  expect(version.output, `install schemathesis ${SCHEMATHESIS_VERSION} (python3 -m pip install schemathesis==${SCHEMATHESIS_VERSION})`).toContain(SCHEMATHESIS_VERSION);
});

describe.concurrent.each([
  { system: crm, auth: async () => 'X-API-Key: crm-dev-key' },
  { system: erp, auth: async (server: MockServer) => `Authorization: Bearer ${await token(server as MockServer<ErpState>)}` },
  { system: partner, auth: async () => 'X-API-Key: partner-dev-key' },
] as const)('the $system.name contract under schemathesis', ({ system, auth }) => {
  it('has no server error and no contract violation', { timeout: 600_000 }, async () => {
    const server = await startMockServer(system as MockSystem<unknown>, { port: 0, quiet: true, ...(system === erp ? { settings: { tokenTtlSeconds: 3600 } } : {}) });
    servers.push(server);
    const { code, output } = await run(
      'schemathesis',
      [
        '--config-file', join(HOOKS_DIR, 'schemathesis.toml'),
        'run', `${server.url}/openapi.json`,
        '--url', server.url,
        '--header', await auth(server),
        '--checks', 'all',
        '--max-examples', String(MAX_EXAMPLES),
        '--seed', '1',
        '--generation-database', 'none',
        '--workers', '1',
        '--no-color',
      ],
      { SCHEMATHESIS_HOOKS: 'hooks', PYTHONPATH: HOOKS_DIR },
    );
    // The summary names each failure with a curl line to reproduce it.
    expect(code, output.slice(-6000)).toBe(0);
    expect(output).toMatch(/No issues found|passed/);
    if (system === partner) {
      // The stateful phase got past the booking rules: it booked shipments and read them back.
      expect(server.journal.count({ operationId: 'createShipment', status: 201 })).toBeGreaterThan(0);
      expect(server.journal.count({ operationId: 'getShipment', status: 200 })).toBeGreaterThan(0);
    }
  });
});

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
