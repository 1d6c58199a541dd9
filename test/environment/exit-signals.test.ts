import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const script = new URL('./fixtures/hold-environment.ts', import.meta.url).pathname;

describe('a process killed while its environment runs', () => {
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    it(`stops PostgreSQL and removes its data on ${signal}`, async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const started = await new Promise<{ dataDir: string; port: number }>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill(signal);
      const code = await exited;
      expect(code).toBeGreaterThan(128);
      expect(existsSync(started.dataDir)).toBe(false);
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect(started.port, '127.0.0.1', () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(true));
      });
      expect(refused, 'PostgreSQL still listens after its owner was killed').toBe(true);
    }, 60_000);
  }
});
