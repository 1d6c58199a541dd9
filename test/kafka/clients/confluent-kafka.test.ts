import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaBroker, type KafkaBroker } from '../../../mock-systems/kafka/index.ts';
import { runClient } from './run-client.ts';

const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'confluent_kafka_probe.py');
const INSTALL = 'install Python 3 and `pip install confluent-kafka`';

describe('the Python confluent-kafka client (librdkafka 2.x) against the embedded broker', () => {
  let broker: KafkaBroker;

  beforeAll(async () => {
    broker = await startKafkaBroker({ port: 0 });
    // Fails loudly, before any broker work, when the client is not there.
    await runClient('python3', ['-c', 'import confluent_kafka'], INSTALL);
  });

  afterAll(async () => {
    await broker?.close();
  });

  it('produces a zstd batch that stays compressed, consumes it in a group and commits', async () => {
    const count = 20;
    const { stdout } = await runClient('python3', [PROBE, broker.bootstrapServers, 'py-orders', 'py-group', String(count)], INSTALL);
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      delivered: (number | string)[];
      consumed: { offset: number; key: string; value: string }[];
      commitErrors: string[];
      committed: number[];
    };

    expect(result.delivered).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(result.consumed.map((m) => m.key)).toEqual(Array.from({ length: count }, (_, i) => `key-${i}`));
    expect(result.consumed.map((m) => JSON.parse(m.value).n)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(result.commitErrors).toEqual([]);
    expect(result.committed).toEqual([count]);
    expect(broker.groupOffsets('py-group')).toEqual([{ topic: 'py-orders', partition: 0, offset: count, metadata: expect.anything() }]);

    // librdkafka compresses zstd only where Produce v7+ is negotiated; the stored batch shows it.
    const batches = broker.batches('py-orders');
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.map((b) => b.compression)).toEqual(batches.map(() => 'zstd'));
    expect(batches.reduce((sum, b) => sum + b.recordCount, 0)).toBe(count);
  });
});
