/**
 * The program that runs a `module` entry inside the sandbox: it imports the trainee's module,
 * calls the export once per input (read as JSON from stdin) and writes one JSON line per call
 * on file descriptor 3, so nothing the trainee prints can be mistaken for a result.
 * It is compiled together with the trainee's module, as the trainee's own code would be.
 */
export const HARNESS_FILE = '.lab-harness.ts';

export function harnessSource(modulePath: string, exportName: string): string {
  const specifier = `./${modulePath.replace(/^\.\//, '')}`;
  return `
import * as submission from ${JSON.stringify(specifier)};
import { readFileSync, writeSync } from 'node:fs';

const send = (message: unknown) => writeSync(3, JSON.stringify(message) + '\\n');
const exported = (submission as Record<string, unknown>)[${JSON.stringify(exportName)}];
if (typeof exported !== 'function') {
  const names = Object.keys(submission).join(', ') || 'nothing';
  send({ fatal: ${JSON.stringify(`${modulePath} does not export a function named ${exportName}`)} + ' (it exports: ' + names + ')' });
  process.exit(0);
}
const fn = exported as (...args: unknown[]) => unknown;
const calls = JSON.parse(readFileSync(0, 'utf8')) as unknown[][];
for (let index = 0; index < calls.length; index += 1) {
  let line: string;
  try {
    const value = await fn(...(calls[index] ?? []));
    line = JSON.stringify({ index, ok: true, value: value === undefined ? null : value });
  } catch (error) {
    const message = error instanceof Error ? error.name + ': ' + error.message : 'threw ' + String(error);
    line = JSON.stringify({ index, ok: false, error: message });
  }
  writeSync(3, line + '\\n');
}
process.exit(0);
`;
}

export type CallResult = { ok: true; value: unknown } | { ok: false; error: string };

export interface HarnessOutput {
  fatal?: string;
  results: CallResult[];
}

/** Reads the harness's lines; calls with no line (the process died first) are reported as not run. */
export function parseHarnessOutput(channel: string, callCount: number, missingReason: string): HarnessOutput {
  const results: CallResult[] = Array.from({ length: callCount }, () => ({ ok: false, error: `not run: ${missingReason}` }));
  let fatal: string | undefined;
  for (const line of channel.split('\n')) {
    if (!line.trim()) continue;
    let message: { fatal?: string; index?: number; ok?: boolean; value?: unknown; error?: string };
    try {
      message = JSON.parse(line) as typeof message;
    } catch {
      continue;
    }
    if (typeof message.fatal === 'string') fatal = message.fatal;
    if (typeof message.index !== 'number' || message.index < 0 || message.index >= callCount) continue;
    results[message.index] = message.ok ? { ok: true, value: message.value } : { ok: false, error: String(message.error) };
  }
  return fatal === undefined ? { results } : { fatal, results };
}
