// Serves the three mock systems for the benchmark in a process of their own, so the load
// generator does not share an event loop with the servers it measures.
import { MOCK_SYSTEMS } from '../../mock-systems/index.ts';
import { startMockServer } from '../../mock-systems/platform/server.ts';

const urls: Record<string, string> = {};
for (const [name, system] of Object.entries(MOCK_SYSTEMS)) {
  // No faults and no partner rate limit: the benchmark measures the mock, not its scripted failures.
  const server = await startMockServer(system as Parameters<typeof startMockServer>[0], {
    port: 0,
    seed: 1,
    size: 200,
    faults: [],
    settings: { rateLimitPerSecond: 0 },
  });
  urls[name] = server.url;
}
process.stdout.write(`${JSON.stringify(urls)}\n`);
process.on('SIGTERM', () => process.exit(0));
