import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import type { ContainerRuntimeClient } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabTopics } from '../../grader/checks/kafka.ts';
import { MOCK_SYSTEMS } from '../../mock-systems/index.ts';
import { readTopics, UnreadableTopicsError } from '../../grader/checks/topic-reader.ts';
import { startDockerEnvironment, type DockerEnvironment } from '../../grader/environment/docker/index.ts';
import { defaultImages, dockerImages } from '../../grader/environment/docker/images.ts';
import { dockerClient, loadTestcontainers, removeLeftovers, RUN_LABEL, runLabels } from '../../grader/environment/docker/runtime.ts';
import { startExternalEnvironment, externalAddresses } from '../../grader/environment/external.ts';
import { findFreePort } from '../../grader/environment/ports.ts';

// These suites need a Docker engine and the images (scripts/build-images.sh). Without them they
// fail with what to install: they never skip.
const projectRoot = new URL('../../', import.meta.url).pathname;

async function labelled(client: ContainerRuntimeClient, runId: string): Promise<{ containers: number; networks: number; volumes: number }> {
  const docker = client.container.dockerode;
  const filters = { label: [`${RUN_LABEL}=${runId}`] };
  return {
    containers: (await docker.listContainers({ all: true, filters })).length,
    networks: (await docker.listNetworks({ filters })).length,
    volumes: ((await docker.listVolumes({ filters })).Volumes ?? []).length,
  };
}

const NOTHING_LEFT = { containers: 0, networks: 0, volumes: 0 };

/** Runs `script` (Node, ESM) in a submission-image container on the run's network; its output. */
async function probeFrom(environment: DockerEnvironment, script: string): Promise<string> {
  const { GenericContainer, Wait } = await loadTestcontainers();
  const container = await new GenericContainer(dockerImages().LAB_IMAGE_SUBMISSION)
    .withLabels(runLabels(environment.runId))
    .withNetworkMode(environment.network.getName())
    .withCommand(['node', '--input-type=module', '-e', script])
    .withWaitStrategy(Wait.forOneShotStartup())
    .withStartupTimeout(60_000)
    .start();
  const output = await new Promise<string>((resolve, reject) => {
    let text = '';
    container.logs().then((stream) => {
      stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
      stream.on('end', () => resolve(text));
      stream.on('error', reject);
    }, reject);
  });
  await container.stop().catch(() => undefined);
  return output.trim().split('\n').pop()!;
}

describe('docker images: names in one place', () => {
  it('docker-compose.yml defaults to the images of docker/images.env', () => {
    const compose = readFileSync(`${projectRoot}docker-compose.yml`, 'utf8');
    const used = [...compose.matchAll(/\$\{(LAB_IMAGE_[A-Z_]+):-([^}]+)\}/g)].map(([, name, image]) => [name, image]);
    expect(used.length).toBeGreaterThanOrEqual(3);
    const images = defaultImages();
    for (const [name, image] of used) expect(image, name).toBe(images[name as keyof typeof images]);
  });

  it('an environment variable overrides an image', () => {
    expect(dockerImages({ LAB_IMAGE_KAFKA: 'elsewhere/kafka:try' }).LAB_IMAGE_KAFKA).toBe('elsewhere/kafka:try');
    expect(dockerImages({}).LAB_IMAGE_KAFKA).toBe(defaultImages().LAB_IMAGE_KAFKA);
  });
});

describe('docker images: the Kafka image', { timeout: 60_000 }, () => {
  it('starts the broker with the classes mapped from the archive built into the image', async () => {
    // KAFKA_OPTS comes after the image's own JVM options, so the class-loading log shows where
    // each class came from as the entrypoint starts the broker.
    const image = dockerImages(process.env).LAB_IMAGE_KAFKA;
    const name = `integration-lab-test-kafka-${process.pid}`;
    const broker = spawn('docker', ['run', '--rm', '--name', name, '-e', 'KAFKA_OPTS=-Xlog:class+load=info', image]);
    const lines = createInterface({ input: broker.stdout });
    const seen: string[] = [];
    try {
      for await (const line of lines) {
        if (/ kafka\.Kafka source: /.test(line)) seen.push(line.replace(/^\[[^\]]*\]/, '').trim());
        if (line.includes('Kafka Server started')) break;
      }
    } finally {
      broker.kill();
      execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
    }
    expect(seen).toEqual(['[info][class,load] kafka.Kafka source: shared objects file (top)']);
  });

  it("keeps the records of a lab's topics, whatever their time, through Kafka's retention checks", async () => {
    // Retention checked at once and then every 200 ms instead of 30 s after the start and every
    // 5 minutes: what a long grading meets on any real Kafka, in a second. A topic created
    // without the lab's settings is the control: its old record goes, so the check did run.
    const port = await findFreePort();
    const name = `integration-lab-test-retention-${process.pid}`;
    const settings = {
      NODE_ID: '1', PROCESS_ROLES: 'broker,controller', CONTROLLER_LISTENER_NAMES: 'CONTROLLER', CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093', ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
      LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT', OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      LOG_INITIAL_TASK_DELAY_MS: '0', LOG_RETENTION_CHECK_INTERVAL_MS: '200',
    };
    const variables = Object.entries(settings).flatMap(([key, value]) => ['-e', `KAFKA_${key}=${value}`]);
    execFileSync('docker', ['run', '-d', '--rm', '--name', name, '-p', `127.0.0.1:${port}:9092`, ...variables, dockerImages(process.env).LAB_IMAGE_KAFKA], { stdio: 'ignore' });
    const admin = new Kafka({ clientId: 'docker-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 20 } }).admin();
    const producer = new Kafka({ clientId: 'docker-test', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING }).producer();
    try {
      await admin.connect();
      await createLabTopics(admin, [{ topic: 'lab-topic', numPartitions: 1 }]);
      await admin.createTopics({ topics: [{ topic: 'control', numPartitions: 1 }], waitForLeaders: true });
      await producer.connect();
      const januaryMorning = String(Date.UTC(2026, 0, 5, 8));
      for (const topic of ['lab-topic', 'control']) await producer.send({ topic, messages: [{ value: 'then', timestamp: januaryMorning }] });
      const earliest = async (topic: string) => (await admin.fetchTopicOffsets(topic))[0]!.low;
      const deadline = Date.now() + 20_000;
      while ((await earliest('control')) === '0' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await earliest('control'), 'the control lost its record to a retention check').toBe('1');
      expect(await earliest('lab-topic')).toBe('0');
    } finally {
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
    }
  });
});

describe('docker provider', { timeout: 180_000 }, () => {
  let client: ContainerRuntimeClient;
  let environment: DockerEnvironment;

  beforeAll(async () => {
    client = await dockerClient();
    environment = await startDockerEnvironment({ seed: 11, services: ['crm', 'erp', 'partner', 'kafka', 'postgres'] });
  }, 240_000);

  afterAll(async () => {
    await environment?.stop();
  });

  it('gives the submission the same variables as the embedded provider, and no admin token', () => {
    expect(Object.keys(environment.variables).sort()).toEqual(
      ['CRM_API_KEY', 'CRM_URL', 'DATABASE_URL', 'ERP_CLIENT_ID', 'ERP_CLIENT_SECRET', 'ERP_URL', 'KAFKA_BROKERS', 'LAB_SEED', 'PARTNER_API_KEY', 'PARTNER_URL'],
    );
    expect(Object.keys(environment.internalVariables).sort()).toEqual(Object.keys(environment.variables).sort());
    expect(environment.internalVariables.CRM_URL).toBe('http://mock-systems:4101');
    expect(environment.variables.DATABASE_URL).not.toBe(environment.databaseUrl);
  });

  it('serves the seeded mock systems, with the admin API behind the run token', async () => {
    expect(await environment.systems.crm!.countRequests()).toBe(0);
    const refused = await fetch(`${environment.variables.CRM_URL}/__admin/requests`);
    expect(refused.status).toBe(401);
    const contacts = await fetch(`${environment.variables.CRM_URL}/contacts`, { headers: { 'x-api-key': environment.variables.CRM_API_KEY! } });
    expect(contacts.status).toBe(200);
    // The run's credentials are drawn for it: the documented key opens nothing.
    const documented = MOCK_SYSTEMS.crm.defaults.credentials.apiKey!;
    expect(environment.variables.CRM_API_KEY).not.toBe(documented);
    expect(environment.internalVariables.CRM_API_KEY).toBe(environment.variables.CRM_API_KEY);
    expect((await fetch(`${environment.variables.CRM_URL}/contacts`, { headers: { 'x-api-key': documented } })).status).toBe(401);
    expect(await environment.systems.crm!.countRequests({ path: '/contacts' })).toBeGreaterThanOrEqual(1);
  });

  it('runs a real PostgreSQL where the trainee owns the lab database and is no superuser', async () => {
    const trainee = new pg.Client({ connectionString: environment.variables.DATABASE_URL });
    await trainee.connect();
    try {
      const { rows } = await trainee.query<{ user: string; database: string; superuser: string; version: string }>(
        "SELECT current_user AS user, current_database() AS database, current_setting('is_superuser') AS superuser, version()",
      );
      expect(rows[0]).toMatchObject({ user: 'trainee', database: 'lab', superuser: 'off' });
      expect(rows[0]!.version).toMatch(/^PostgreSQL 17\./);
      await trainee.query('CREATE TABLE owned_by_trainee (id int)');
    } finally {
      await trainee.end();
    }
  });

  it('runs a real Apache Kafka that auto-creates topics with one partition, like the embedded broker', async () => {
    const kafka = new Kafka({ clientId: 'docker-test', brokers: [environment.kafkaBootstrapServers!], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'auto-created', messages: [{ key: 'k', value: 'v' }] });
    await producer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: ['auto-created'] });
      expect(metadata.topics[0]!.partitions).toHaveLength(1);
      const offsets = await admin.fetchTopicOffsets('auto-created');
      expect(offsets[0]!.high).toBe('1');
    } finally {
      await admin.disconnect();
    }
  });

  it('takes records of any number of headers, which the grader reads in a thread it ends at the deadline', async () => {
    // kafkajs decodes headers in quadratic time: read in the grader's own thread, these 200,000
    // headers would hold it for hours (grader/checks/topic-reader.ts).
    const kafka = new Kafka({ clientId: 'docker-test', brokers: [environment.kafkaBootstrapServers!], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'header-bomb', messages: [{ key: 'k', value: 'v', headers: { h: Array.from({ length: 200_000 }, () => '') } }] });
    await producer.disconnect();
    let longestGapMs = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      longestGapMs = Math.max(longestGapMs, performance.now() - last);
      last = performance.now();
    }, 50);
    try {
      await expect(readTopics(environment.kafkaBootstrapServers!, ['header-bomb'], { timeoutMs: 5_000 })).rejects.toThrow(
        new UnreadableTopicsError('reading header-bomb did not finish within 5 s'),
      );
    } finally {
      clearInterval(ticker);
    }
    expect(longestGapMs).toBeLessThan(1_000);
  });

  it('takes a gzip batch that inflates to half a gigabyte, which the grader inflates only up to its byte limit', async () => {
    // One 512 MiB record of zeros: a batch of about half a megabyte, under Kafka's default
    // message.max.bytes. Produced by another process, so this one's memory is the reader's.
    const produce = `
      import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
      const producer = new Kafka({ clientId: 'docker-test', brokers: [process.argv[1]], logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
      await producer.send({ topic: 'gzip-bomb', compression: CompressionTypes.GZIP, messages: [{ key: 'k', value: Buffer.alloc(512 * 2 ** 20) }] });
      await producer.disconnect();`;
    execFileSync(process.execPath, ['--input-type=module', '-e', produce, environment.kafkaBootstrapServers!], { cwd: projectRoot, stdio: 'inherit' });
    const before = process.memoryUsage().rss;
    let highest = before;
    const sampler = setInterval(() => (highest = Math.max(highest, process.memoryUsage().rss)), 10);
    try {
      await expect(readTopics(environment.kafkaBootstrapServers!, ['gzip-bomb'])).rejects.toThrow(
        new UnreadableTopicsError('gzip-bomb cannot be read: a gzip batch inflates past 32 MiB'),
      );
    } finally {
      clearInterval(sampler);
    }
    // The reader's thread and its 32 MiB, not the half gigabyte.
    expect((highest - before) / 2 ** 20).toBeLessThan(256);
  });

  it("publishes the services' ports on 127.0.0.1 only, not on this machine's other addresses", async () => {
    // Anyone who reached a port published on every address could read or change a run's
    // services with the documented credentials, or its Kafka with none.
    const docker = client.container.dockerode;
    const containers = await docker.listContainers({ filters: { label: [`${RUN_LABEL}=${environment.runId}`] } });
    const published = containers.flatMap((container) => container.Ports.filter((port) => port.PublicPort !== undefined).map((port) => `${port.IP}:${port.PrivatePort}`));
    expect(published.length).toBeGreaterThanOrEqual(5);
    expect(published.filter((binding) => !binding.startsWith('127.0.0.1:'))).toEqual([]);
  });

  it('puts every container on the run network, which is internal', async () => {
    const network = await client.container.dockerode.getNetwork(environment.network.getId()).inspect();
    expect(network.Internal).toBe(true);
    expect(Object.keys(network.Containers ?? {})).toHaveLength(3);
  });

  it('a container on the run network reaches the services by alias, and neither the outside nor this machine', async () => {
    // A server on every address of this machine: what a submission must not reach.
    const host = createServer((_req, res) => res.end('host-secret')).listen(0, '0.0.0.0');
    await new Promise((resolve) => host.once('listening', resolve));
    const hostPort = (host.address() as AddressInfo).port;
    const gateway = (await client.container.dockerode.getNetwork('bridge').inspect()).IPAM?.Config?.[0]?.Gateway ?? '172.17.0.1';
    const probe = `
      const tryFetch = (url) => fetch(url, { signal: AbortSignal.timeout(3000) }).then((r) => r.status, (e) => 'unreachable');
      const results = { alias: await tryFetch('http://mock-systems:4101/openapi.json'), host: await tryFetch('http://${gateway}:${hostPort}/'), outside: await tryFetch('http://1.1.1.1/') };
      console.log(JSON.stringify(results));`;
    try {
      const output = await probeFrom(environment, probe);
      expect(JSON.parse(output)).toEqual({ alias: 200, host: 'unreachable', outside: 'unreachable' });
    } finally {
      host.close();
    }
  });

  it("a container on the run network reaches none of another run's services (a cohort graded side by side)", async () => {
    // Kafka has no authentication: a submission that reached another run's broker could delete
    // that candidate's topics. So neither its mock systems nor its Kafka may answer.
    const other = await startDockerEnvironment({ seed: 12, services: ['crm', 'kafka'] });
    try {
      const members = (await client.container.dockerode.getNetwork(other.network.getId()).inspect()).Containers ?? {};
      const addresses = Object.values(members).map((member) => (member as { IPv4Address: string }).IPv4Address.split('/')[0]!);
      expect(addresses).toHaveLength(2);
      const probe = `
        import { connect } from 'node:net';
        const open = (host, port) => new Promise((resolve) => {
          const socket = connect({ host, port, timeout: 3000 });
          socket.on('connect', () => { socket.destroy(); resolve('open'); });
          socket.on('timeout', () => { socket.destroy(); resolve('unreachable'); });
          socket.on('error', () => resolve('unreachable'));
        });
        const results = {};
        for (const address of ${JSON.stringify(addresses)}) for (const port of [4101, 29092, 9092]) results[address + ':' + port] = await open(address, port);
        console.log(JSON.stringify(results));`;
      const reached = Object.entries(JSON.parse(await probeFrom(environment, probe)) as Record<string, string>).filter(([, state]) => state !== 'unreachable');
      expect(reached).toEqual([]);
    } finally {
      await other.stop();
    }
  });

  it('stop removes every container, volume and the network of the run', async () => {
    const { runId } = environment;
    // No service of ours has a volume: one made with the run's labels stands for any.
    await client.container.dockerode.createVolume({ Name: `integration-lab-${runId}-data`, Labels: runLabels(runId) });
    expect(await labelled(client, runId)).toMatchObject({ networks: 1, volumes: 1 });
    await environment.stop();
    expect(await labelled(client, runId)).toEqual(NOTHING_LEFT);
  });
});

describe('docker provider: nothing left behind', { timeout: 180_000 }, () => {
  let client: ContainerRuntimeClient;
  beforeAll(async () => {
    client = await dockerClient();
  });

  /** Starts the fixture grader and resolves with its run id once its environment is up. */
  function startGrader() {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/environment/fixtures/docker-grader.ts'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const started = new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.startsWith('{')) resolve((JSON.parse(line) as { runId: string }).runId);
      });
      child.once('exit', (code) => reject(new Error(`the grader exited early with ${code}: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, started, exited };
  }

  it('on Ctrl-C (SIGINT) the grader removes its containers, volumes and network before it exits', async () => {
    const grader = startGrader();
    const runId = await grader.started;
    expect(await labelled(client, runId)).toMatchObject({ containers: 1, volumes: 1 });
    grader.child.kill('SIGINT');
    expect(await grader.exited).toBe(130);
    expect(await labelled(client, runId)).toEqual(NOTHING_LEFT);
  });

  it("the next start removes what a killed grader left, and leaves a live grader's run alone", async () => {
    const killed = startGrader();
    const killedRun = await killed.started;
    // Checked while its grader lives: once it is dead, any start (another suite's too) may sweep it.
    expect(await labelled(client, killedRun)).toMatchObject({ containers: 1, volumes: 1 });
    killed.child.kill('SIGKILL');
    await killed.exited;

    // A run of a grader that still lives (this process) must survive the sweep.
    const liveRun = `live-${process.pid}`;
    const network = await client.container.dockerode.createNetwork({ Name: `integration-lab-${liveRun}`, Internal: true, Labels: runLabels(liveRun) });
    try {
      await removeLeftovers(client);
      expect(await labelled(client, killedRun)).toEqual(NOTHING_LEFT);
      expect((await labelled(client, liveRun)).networks).toBe(1);
    } finally {
      await network.remove();
    }
  });
});

describe('external provider, against services already running', { timeout: 180_000 }, () => {
  let services: DockerEnvironment;
  beforeAll(async () => {
    services = await startDockerEnvironment({ seed: 1, services: ['crm', 'kafka', 'postgres'] });
  }, 240_000);
  afterAll(async () => {
    await services?.stop();
  });

  it('resets them for the run: no journal, no faults, no topics, an empty schema', async () => {
    const { systems, variables, kafkaBootstrapServers, databaseUrl } = services;
    await systems.crm!.addFault({ match: { path: '/contacts' }, action: { type: 'status', status: 503 } });
    await fetch(`${variables.CRM_URL}/contacts`, { headers: { 'x-api-key': variables.CRM_API_KEY! } });
    const kafka = new Kafka({ clientId: 'external-test', brokers: [kafkaBootstrapServers!], logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'left-from-before', messages: [{ value: 'x' }] });
    await producer.disconnect();
    const before = new pg.Client({ connectionString: databaseUrl });
    await before.connect();
    await before.query('CREATE TABLE left_from_before (id int)');
    await before.end();

    const external = await startExternalEnvironment({
      seed: 9,
      services: ['crm', 'kafka', 'postgres'],
      addresses: externalAddresses({
        crm: variables.CRM_URL!,
        kafkaBrokers: kafkaBootstrapServers!,
        databaseUrl: databaseUrl!,
        traineeDatabaseUrl: variables.DATABASE_URL!,
        adminToken: services.adminToken,
      }),
    });
    expect(external.variables.CRM_URL).toBe(variables.CRM_URL);
    expect(await external.systems.crm!.countRequests()).toBe(0);
    expect(await external.systems.crm!.faults()).toEqual([]);
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.listTopics()).not.toContain('left-from-before');
    await admin.disconnect();
    const after = new pg.Client({ connectionString: external.variables.DATABASE_URL });
    await after.connect();
    const { rows } = await after.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'");
    await after.end();
    expect(rows[0]).toEqual({ n: 0 });
    await external.stop();
  });
});
