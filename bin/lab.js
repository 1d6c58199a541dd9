#!/usr/bin/env node
// The `lab` command. The project is TypeScript run through tsx, so there is no build step
// between a clone and a working command.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../grader/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
