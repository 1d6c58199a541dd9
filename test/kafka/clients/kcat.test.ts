import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaBroker, type KafkaBroker } from '../../../mock-systems/kafka/index.ts';
import { runClient } from './run-client.ts';

const INSTALL = 'install it with `apt-get install kcat` (Debian 12 ships kcat 1.7.1 with librdkafka 2.0.2)';

describe("Debian's kcat (librdkafka 2.0) against the embedded broker", () => {
  let broker: KafkaBroker;

  beforeAll(async () => {
    broker = await startKafkaBroker({ port: 0 });
    await runClient('kcat', ['-V'], INSTALL);
  });

  afterAll(async () => {
    await broker?.close();
  });

  it('produces zstd batches and consumes them in a group with -G', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => `line-${i}`);
    await runClient('kcat', ['-b', broker.bootstrapServers, '-P', '-t', 'kcat-lines', '-z', 'zstd'], INSTALL, { input: `${lines.join('\n')}\n` });
    expect(broker.batches('kcat-lines').map((b) => b.compression)).toContain('zstd');

    // librdkafka 2.0.2 forms a group only if FindCoordinator, JoinGroup, SyncGroup, Heartbeat
    // and LeaveGroup are advertised from v0; -e leaves once the end of the topic is reached.
    const { stdout, stderr } = await runClient(
      'kcat',
      ['-b', broker.bootstrapServers, '-G', 'kcat-group', '-o', 'beginning', '-e', '-X', 'session.timeout.ms=6000', 'kcat-lines'],
      INSTALL,
      // Without the group APIs it needs, kcat waits for a rebalance forever; its output says so.
      { timeoutMs: 20_000 },
    );
    expect(stdout.trim().split('\n')).toEqual(lines);
    expect(stderr).toContain('Group kcat-group rebalanced');
    expect(stderr).toContain('assigned: kcat-lines [0]');
    expect(broker.groups()).toContain('kcat-group');
  });
});
