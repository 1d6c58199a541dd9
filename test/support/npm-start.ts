import { spawn } from 'node:child_process';

export interface StartedServices {
  /** The ready line came before the process exited or the time ran out. */
  running: boolean;
  /** Everything printed so far, stdout and stderr. */
  output: () => string;
  /** Ctrl-C to the whole process group, as a trainee stops it; resolves once npm has exited. */
  stop(): Promise<void>;
}

/** `npm start -- --ephemeral-ports` in `dir` (an unpacked bundle), until it prints `readyText`. */
export async function npmStart(dir: string, readyText: string, timeoutMs = 100_000): Promise<StartedServices> {
  const child = spawn('npm', ['start', '--', '--ephemeral-ports'], { cwd: dir, detached: true, env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const running = await new Promise<boolean>((done) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(readyText)) {
        clearTimeout(timer);
        done(true);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', () => done(false));
  });
  return {
    running,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGINT');
      await exited;
    },
  };
}
