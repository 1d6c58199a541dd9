#!/usr/bin/env node
// The `lab` command (published as `integration-lab`). The project is TypeScript run through
// tsx, so there is no build step between a clone and a working command.
import { register } from 'tsx/esm/api';

// A reader that stops early (`lab list | head -2`) closes the pipe; that is the reader's
// choice, not a failure, so the command ends quietly instead of with an EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { main } = await import('../grader/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
