// Memory under a long run: the three mock systems in one process, as `lab start` runs them,
// with Node's default heap. First 1,500 bodies of 0.9 MB (the flood that once took the process
// to 1.5 GB), then 200,000 mixed requests with a large body in every hundred. The server's
// resident set size is sampled every second and written down with the peak of each phase.
// Usage: npm run bench:soak   (writes bench/http/SOAK-RESULTS.md; minutes on an idle machine, most of an hour on a loaded one)
import { execFileSync, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { erpToken } from './erp-token.ts';

const LARGE_BODIES = Number(process.env.SOAK_LARGE_BODIES ?? 1500);
const MIXED_REQUESTS = Number(process.env.SOAK_REQUESTS ?? 200_000);
const CONNECTIONS = 8;
const LARGE_BODY = JSON.stringify({ reference: 'SOAK-LARGE', padding: 'x'.repeat(900 * 1024) });

const server = spawn(process.execPath, ['--import', 'tsx', new URL('./serve.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
const urls = await new Promise<Record<string, string>>((resolve, reject) => {
  createInterface({ input: server.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
  server.once('exit', (code) => reject(new Error(`the benchmark server exited with ${code}`)));
});

/** Resident set size of the server process in MiB, as the OS reports it. */
function serverRssMiB(): number {
  return Math.round(Number(execFileSync('ps', ['-o', 'rss=', '-p', String(server.pid)]).toString().trim()) / 1024);
}

const started = Date.now();
const samples: Array<{ seconds: number; phase: string; rssMiB: number }> = [];
let phase = 'idle';
const sample = () => samples.push({ seconds: Math.round((Date.now() - started) / 1000), phase, rssMiB: serverRssMiB() });
sample();
const sampler = setInterval(sample, 1000);

try {
  // A token that outlives the run, so the ERP's share is reads and not 401s after five minutes.
  const longTokens = await fetch(`${urls.erp}/__admin/settings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"tokenTtlSeconds": 86400}' });
  if (!longTokens.ok) throw new Error(`could not lengthen the ERP's token lifetime: ${longTokens.status}`);
  const token = await erpToken(urls.erp!);
  const partnerKey = { 'x-api-key': 'partner-dev-key' };
  const large = (headers: Record<string, string>): autocannon.Request => ({ method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: LARGE_BODY });

  phase = `${LARGE_BODIES} × 0.9 MB`;
  const flood = await autocannon({ url: `${urls.partner}/shipments`, connections: CONNECTIONS, amount: LARGE_BODIES, requests: [large(partnerKey)] });
  const afterFlood = serverRssMiB();

  phase = `${MIXED_REQUESTS.toLocaleString('en')} mixed`;
  let sequence = 0;
  // One in a hundred requests carries a large body; the rest are what a lab's client sends.
  const mix = (headers: Record<string, string>, small: autocannon.Request[]): autocannon.Request[] =>
    Array.from({ length: 100 }, (_, i) => (i === 99 ? large(headers) : { ...small[i % small.length]!, headers: { ...headers, ...small[i % small.length]!.headers } }));
  const booking: autocannon.Request = {
    method: 'POST',
    path: '/shipments',
    headers: { 'content-type': 'application/json' },
    setupRequest: (request) => ({
      ...request,
      body: JSON.stringify({
        reference: `SOAK-${++sequence}`,
        serviceLevel: 'standard',
        origin: { name: 'Warehouse', street: '1 Dock Rd', postalCode: '43217', city: 'Columbus', country: 'US' },
        destination: { name: 'Customer', street: '2 Main St', postalCode: '10115', city: 'Berlin', country: 'DE' },
        parcels: [{ weightKg: 2.5 }],
      }),
    }),
  };
  const crmRequests = mix({ 'x-api-key': 'crm-dev-key' }, [{ method: 'GET', path: '/contacts?limit=25' }, { method: 'GET', path: '/accounts/ACC-00001' }]);
  const erpRequests = mix({ authorization: `Bearer ${token}` }, [{ method: 'GET', path: '/customers?limit=25' }]);
  const partnerRequests = mix(partnerKey, [{ method: 'GET', path: '/shipments?limit=25' }, booking]);
  const share = Math.floor(MIXED_REQUESTS / 3);
  const runs = await Promise.all([
    autocannon({ url: `${urls.crm}/contacts`, connections: CONNECTIONS / 2, amount: share, requests: crmRequests }),
    autocannon({ url: `${urls.erp}/customers`, connections: CONNECTIONS / 2, amount: share, requests: erpRequests }),
    autocannon({ url: `${urls.partner}/shipments`, connections: CONNECTIONS / 2, amount: MIXED_REQUESTS - 2 * share, requests: partnerRequests }),
  ]);
  clearInterval(sampler);
  sample();

  const peak = (name: string) => Math.max(...samples.filter((entry) => entry.phase === name).map((entry) => entry.rssMiB));
  const sent = runs.reduce((total, run) => total + run.requests.total, 0);
  const failures = runs.reduce((total, run) => total + run.errors + run.timeouts, 0) + flood.errors + flood.timeouts;
  // One row every ~5 s keeps the table readable; the peaks above use every sample.
  const every = Math.max(1, Math.round(samples.length / 60));
  const rows = samples.filter((_, index) => index % every === 0 || index === samples.length - 1).map((entry) => `| ${entry.seconds} | ${entry.phase} | ${entry.rssMiB} |`);
  const report = [
    '# Mock systems: memory under a long run',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:soak\`: the three mock systems in one Node process`,
    `(as \`lab start\` runs them), default heap, no faults, no partner rate limit; autocannon, ${CONNECTIONS} connections.`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    '',
    `1. ${LARGE_BODIES} POSTs of 0.9 MB to the partner: ${flood.requests.total} sent, RSS peak ${peak(samples[1]?.phase ?? phase)} MiB, ${afterFlood} MiB after.`,
    `2. ${MIXED_REQUESTS.toLocaleString('en')} mixed requests to all three (CRM and ERP reads, partner reads and bookings, one 0.9 MB body in every hundred): ${sent} sent in ${Math.round(Math.max(...runs.map((run) => run.duration)))} s, RSS peak ${peak(phase)} MiB.`,
    `Network errors and timeouts: ${failures}. The large bodies are refused by the contract (400) and kept in the journal as their size.`,
    '',
    `Idle RSS before the run: ${samples[0]!.rssMiB} MiB. The journal holds at most 10,000 entries and 64 MiB per system,`,
    'so what stays resident levels off once the journals are full, whatever the length of the run.',
    '',
    '| seconds | phase | RSS MiB |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  await writeFile(new URL('./SOAK-RESULTS.md', import.meta.url), report);
  process.stdout.write(report);
} finally {
  clearInterval(sampler);
  server.kill('SIGTERM');
}
