import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaBroker, type KafkaBroker } from '../../../mock-systems/kafka/index.ts';
import { runClient } from './run-client.ts';

const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'JavaClientProbe.java');
// The jars scripts/kafka-conformance.sh runs Kafka from; kafka-clients 3.9.1 is among them.
const JARS = process.env.KAFKA_JARS_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'integration-lab', 'kafka-jars');
const INSTALL = `install a JRE (apt-get install default-jre-headless) and fetch the Kafka jars: sh docker/kafka/fetch-jars.sh ${JARS} docker/kafka/jars.lock`;

describe("Apache Kafka's Java client (kafka-clients 3.9) against the embedded broker", () => {
  let broker: KafkaBroker;

  beforeAll(async () => {
    broker = await startKafkaBroker({ port: 0 });
    if (!existsSync(JARS) || !readdirSync(JARS).some((f) => f.startsWith('kafka-clients-'))) {
      throw new Error(`no kafka-clients jar in ${JARS}; ${INSTALL}`);
    }
  });

  afterAll(async () => {
    await broker?.close();
  });

  it('creates a topic, alters and describes configs, produces zstd, consumes in a group and commits', async () => {
    const count = 12;
    const { stdout } = await runClient('java', ['-cp', `${JARS}/*`, PROBE, broker.bootstrapServers, 'java-orders', 'java-group', String(count)], INSTALL, {
      // The JVM compiles the probe from source first: seconds on a loaded machine.
      timeoutMs: 100_000,
    });
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    expect(line, stdout).toBeDefined();
    const result = Object.fromEntries(line!.slice('RESULT '.length).split(' ').map((pair) => pair.split('=') as [string, string]));
    expect(result).toMatchObject({ seen: String(count), committed: String(count) });
    expect(Number(result.brokerConfigs)).toBeGreaterThan(0);
    expect(broker.groupOffsets('java-group').reduce((sum, o) => sum + o.offset, 0)).toBe(count);
    expect(new Set(broker.batches('java-orders').map((b) => b.compression))).toEqual(new Set(['zstd']));
  }, 120_000);
});
