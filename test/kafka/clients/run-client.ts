import { execFile } from 'node:child_process';

/**
 * Runs another Kafka client's command and returns its output. A missing program fails the
 * test with what to install: these suites prove the broker to clients other than kafkajs and
 * must never pass by not running.
 */
export function runClient(
  command: string,
  args: string[],
  install: string,
  options: { input?: string; timeoutMs?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: options.timeoutMs ?? 40_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new Error(`${command} is not installed; ${install} (.ci/run does this in CI)`));
      } else if (error) {
        reject(new Error(`${command} ${args.join(' ')} failed (${error.message.split('\n')[0]}):\n${stderr}${stdout}`));
      } else resolve({ stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
