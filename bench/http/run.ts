// Requests per second and latency of a representative GET and POST of each mock system.
// Usage: npm run bench:http   (writes bench/http/RESULTS.md)
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { erpToken } from './erp-token.ts';

const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

const server = spawn(process.execPath, ['--import', 'tsx', new URL('./serve.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
const urls = await new Promise<Record<string, string>>((resolve, reject) => {
  createInterface({ input: server.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
  server.once('exit', (code) => reject(new Error(`the benchmark server exited with ${code}`)));
});

try {
  const token = await erpToken(urls.erp!);
  let sequence = 0;
  const unique = () => `${process.pid}-${++sequence}`;
  const scenarios: Array<{ name: string; options: autocannon.Options }> = [
    { name: 'CRM GET /contacts?limit=25', options: { url: `${urls.crm}/contacts?limit=25`, headers: { 'x-api-key': 'crm-dev-key' } } },
    { name: 'CRM GET /accounts/{id}', options: { url: `${urls.crm}/accounts/ACC-00001`, headers: { 'x-api-key': 'crm-dev-key' } } },
    { name: 'ERP GET /customers?limit=25', options: { url: `${urls.erp}/customers?limit=25`, headers: { authorization: `Bearer ${token}` } } },
    {
      name: 'ERP POST /customers (Idempotency-Key)',
      options: {
        url: `${urls.erp}/customers`,
        method: 'POST',
        requests: [
          {
            setupRequest: (request) => {
              const id = unique();
              return {
                ...request,
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `bench-${id}` },
                body: JSON.stringify({ externalRef: `CON-B${id}`, name: 'Bench Customer', email: `bench-${id}@example.com`, country: 'DE' }),
              };
            },
          },
        ],
      },
    },
    { name: 'Partner GET /shipments?limit=25', options: { url: `${urls.partner}/shipments?limit=25`, headers: { 'x-api-key': 'partner-dev-key' } } },
    {
      name: 'Partner POST /shipments',
      options: {
        url: `${urls.partner}/shipments`,
        method: 'POST',
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              headers: { 'x-api-key': 'partner-dev-key', 'content-type': 'application/json' },
              body: JSON.stringify({
                reference: `BENCH-${unique()}`,
                serviceLevel: 'standard',
                origin: { name: 'Warehouse', street: '1 Dock Rd', postalCode: '43217', city: 'Columbus', country: 'US' },
                destination: { name: 'Customer', street: '2 Main St', postalCode: '10115', city: 'Berlin', country: 'DE' },
                parcels: [{ weightKg: 2.5, lengthCm: 30, widthCm: 20, heightCm: 10 }],
              }),
            }),
          },
        ],
      },
    },
  ];

  const rows: string[] = [];
  for (const scenario of scenarios) {
    const result = await autocannon({ ...scenario.options, connections: CONNECTIONS, duration: DURATION_SECONDS });
    const errors = result.errors + result.timeouts + result.non2xx;
    rows.push(`| ${scenario.name} | ${Math.round(result.requests.average)} | ${result.latency.p50} | ${result.latency.p99} | ${result.latency.max} | ${errors} |`);
    process.stdout.write(`${rows.at(-1)}\n`);
  }

  const report = [
    '# Mock systems: HTTP throughput and latency',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:http\`: autocannon, ${CONNECTIONS} connections, ${DURATION_SECONDS} s per row,`,
    `servers in their own Node process (seed 1, 200 records, no faults, no partner rate limit).`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    'Every request passes contract validation, the journal and the fault engine, as in a lab.',
    '',
    '| request | requests/s | p50 ms | p99 ms | max ms | errors and non-2xx |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    'The CRM is read-only (it has no POST), so its second row is a GET by id.',
    '',
  ].join('\n');
  await writeFile(new URL('./RESULTS.md', import.meta.url), report);
} finally {
  server.kill('SIGTERM');
}
