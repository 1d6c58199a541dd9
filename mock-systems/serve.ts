import { CREDENTIAL_VARIABLES, MOCK_SYSTEMS, type MockSystemName } from './index.ts';
import { startMockServer, type MockServer } from './platform/server.ts';

/**
 * The mock systems as a standalone process, the way the mock-systems image and docker-compose.yml
 * run them. Everything comes from the environment:
 *
 *   LAB_SYSTEMS          comma-separated subset of crm,erp,partner (default: all three)
 *   CRM_PORT ERP_PORT PARTNER_PORT   listening ports (default 4101, 4102, 4103, as `npm start`)
 *   LAB_HOST             listening address (default 0.0.0.0: reachable from outside a container)
 *   LAB_SEED LAB_SIZE    seeded data (defaults as `npm start`)
 *   LAB_DEFAULT_FAULTS   `false` leaves out the everyday faults (graded runs script their own)
 *   LAB_ADMIN_TOKEN      when set, every /__admin request needs `Authorization: Bearer <token>`
 *   CRM_API_KEY ERP_CLIENT_ID ERP_CLIENT_SECRET PARTNER_API_KEY
 *                        the credentials a system accepts instead of its documented ones
 *
 * It prints one line per system and then "mock systems ready", which is what a container start
 * waits for. SIGTERM and SIGINT close the servers: as PID 1 in a container, Node would otherwise
 * ignore them and `docker stop` would wait out its grace period.
 */
const DEFAULT_PORTS: Record<MockSystemName, number> = { crm: 4101, erp: 4102, partner: 4103 };

function fail(message: string): never {
  process.stderr.write(`mock systems: ${message}\n`);
  process.exit(2);
}

function integerFrom(name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) fail(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return value;
}

function systemsFrom(raw: string | undefined): MockSystemName[] {
  if (raw === undefined || raw.trim() === '') return Object.keys(MOCK_SYSTEMS) as MockSystemName[];
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) if (!(name in MOCK_SYSTEMS)) fail(`LAB_SYSTEMS: unknown system "${name}" (known: ${Object.keys(MOCK_SYSTEMS).join(', ')})`);
  return names as MockSystemName[];
}

const systems = systemsFrom(process.env.LAB_SYSTEMS);
const host = process.env.LAB_HOST?.trim() || '0.0.0.0';
const seed = integerFrom('LAB_SEED', undefined, 0, 2 ** 31 - 1);
const size = integerFrom('LAB_SIZE', undefined, 1, 100_000);
const withoutFaults = process.env.LAB_DEFAULT_FAULTS?.trim() === 'false';
const adminToken = process.env.LAB_ADMIN_TOKEN?.trim() || undefined;

/** The credentials the environment sets for a system; the documented ones stand for the rest. */
function credentialsFrom(name: MockSystemName): { credentials?: Record<string, string> } {
  const set = Object.entries(CREDENTIAL_VARIABLES[name]).flatMap(([field, variable]) => {
    const value = process.env[variable]?.trim();
    return value ? [[field, value] as const] : [];
  });
  return set.length > 0 ? { credentials: Object.fromEntries(set) } : {};
}

const servers: MockServer<unknown>[] = [];
const close = async () => {
  await Promise.allSettled(servers.map((server) => server.close()));
  process.exit(0);
};
process.on('SIGTERM', () => void close());
process.on('SIGINT', () => void close());

for (const name of systems) {
  const port = integerFrom(`${name.toUpperCase()}_PORT`, DEFAULT_PORTS[name], 1, 65_535)!;
  const system = MOCK_SYSTEMS[name] as unknown as Parameters<typeof startMockServer<unknown>>[0];
  const server = await startMockServer(system, {
    host,
    port,
    ...(seed === undefined ? {} : { seed }),
    ...(size === undefined ? {} : { size }),
    ...(withoutFaults ? { faults: [] } : {}),
    ...(adminToken ? { adminToken } : {}),
    ...credentialsFrom(name),
  }).catch((error: Error) => fail(`the ${system.title} could not start on ${host}:${port}: ${error.message}`));
  servers.push(server);
  process.stdout.write(`${name} listening on ${host}:${port}\n`);
}
process.stdout.write(`mock systems ready${adminToken ? ' (admin API needs its token)' : ' (admin API open: no LAB_ADMIN_TOKEN)'}\n`);
