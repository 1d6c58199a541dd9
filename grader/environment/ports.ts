import { createServer } from 'node:net';

/**
 * Asks the OS for a free TCP port. Needed for servers that must be told a port up front
 * (PostgreSQL); our own servers take port 0 and report the port they got.
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}
