// The mock-systems image's healthcheck: each system this container serves (LAB_SYSTEMS, ports as in
// serve.ts) answers GET /openapi.json, a route outside the journal, so checks never see it.
// Plain JavaScript so that it starts without tsx: it runs every few seconds.
const defaults = { crm: 4101, erp: 4102, partner: 4103 };
const systems = (process.env.LAB_SYSTEMS || 'crm,erp,partner').split(',').map((name) => name.trim()).filter(Boolean);
try {
  for (const name of systems) {
    const port = process.env[`${name.toUpperCase()}_PORT`] || defaults[name];
    const response = await fetch(`http://127.0.0.1:${port}/openapi.json`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
    await response.arrayBuffer();
  }
} catch (error) {
  console.error(`unhealthy: ${error.message}`);
  process.exit(1);
}
