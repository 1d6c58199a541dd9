import { configFromEnv } from './config.ts';
import { runConsumer } from './consume.ts';
import { runReplay } from './replay.ts';

const USAGE = 'usage: node --import tsx src/main.ts consume | replay';
const mode = process.argv[2];

async function main(): Promise<void> {
  const config = configFromEnv();
  switch (mode) {
    case 'consume':
      return runConsumer(config);
    case 'replay':
      return runReplay(config);
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  console.error(`${mode ?? 'payments'}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
