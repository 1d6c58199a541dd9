/**
 * Runs the broker on its own: `npx tsx mock-systems/kafka/cli.ts [--port 19092] [--host 127.0.0.1]
 * [--partitions 1] [--no-auto-create]`. Prints one line with the bootstrap address once it
 * listens, and stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_KAFKA_PORT, startKafkaBroker } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: String(DEFAULT_KAFKA_PORT) },
    host: { type: 'string', default: '127.0.0.1' },
    partitions: { type: 'string', default: '1' },
    'no-auto-create': { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
const partitions = Number(values.partitions);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a number from 0 to 65535, got "${values.port}"\n`);
  process.exit(2);
}

try {
  const broker = await startKafkaBroker({
    port,
    host: values.host,
    defaultPartitions: partitions,
    autoCreateTopics: !values['no-auto-create'],
  });
  process.stdout.write(`Kafka broker ready: bootstrap servers ${broker.bootstrapServers}\n`);
  const stop = () => void broker.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`could not start the Kafka broker: ${reason}\n`);
  process.exit(1);
}
