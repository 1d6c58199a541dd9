import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerEnvironment, type DockerEnvironment } from '../../grader/environment/docker/index.ts';
import { dockerImages } from '../../grader/environment/docker/images.ts';
import { dockerClient, RUN_LABEL } from '../../grader/environment/docker/runtime.ts';
import { submissionContainerLauncher } from '../../grader/environment/docker/submission.ts';
import { limitsFrom } from '../../grader/runner/limits.ts';
import { prepareSubmission } from '../../grader/runner/submission.ts';

// Needs a Docker engine and the images (scripts/build-images.sh); fails, never skips, without them.
const fixture = new URL('./fixtures/container-submission/', import.meta.url).pathname;

describe('a submission in a container of its own', { timeout: 180_000 }, () => {
  let environment: DockerEnvironment;
  beforeAll(async () => {
    environment = await startDockerEnvironment({ seed: 3, services: ['crm'] });
  }, 240_000);
  afterAll(async () => {
    await environment?.stop();
  });

  const prepare = (memoryLimitMb = 128, workspaceLimitMb?: number) =>
    prepareSubmission({
      entry: { kind: 'command', command: ['node', 'main.js'] },
      sourceDir: fixture,
      variables: environment.internalVariables,
      limits: limitsFrom({ timeLimitSeconds: 60, outputLimitBytes: 65_536, memoryLimitMb, ...(workspaceLimitMb ? { workspaceLimitMb } : {}) }),
      launch: submissionContainerLauncher({ image: dockerImages().LAB_IMAGE_SUBMISSION, runId: environment.runId, networkName: environment.network.getName() }),
    });

  it('runs unprivileged and reaches the services by alias', async () => {
    const prepared = prepare();
    try {
      const result = await prepared.submission.run();
      expect(result.status, result.stderr).toBe('ok');
      expect(JSON.parse(result.stdout.trim())).toEqual({ uid: 65534, crm: 200, crmUrl: 'http://mock-systems:4101' });
    } finally {
      await prepared.dispose();
    }
  });

  it('is hardened: read-only root, no capabilities, no new privileges, limits from lab.yaml, the run network only; removed when stopped', async () => {
    const docker = (await dockerClient()).container.dockerode;
    const prepared = prepare(96);
    try {
      const running = await prepared.submission.start({ args: ['wait'] });
      let listed: Awaited<ReturnType<typeof docker.listContainers>> = [];
      for (let attempt = 0; attempt < 100 && listed.length === 0; attempt++) {
        listed = (await docker.listContainers({ filters: { label: [`${RUN_LABEL}=${environment.runId}`] } })).filter((c) => c.Names.some((n) => n.includes('-submission-')));
        if (listed.length === 0) await sleep(100);
      }
      expect(listed).toHaveLength(1);
      const inspected = await docker.getContainer(listed[0]!.Id).inspect();
      expect(inspected.Config.User).toBe('65534:65534');
      expect(inspected.HostConfig).toMatchObject({
        ReadonlyRootfs: true,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Memory: 96 * 1024 * 1024,
        MemorySwap: 96 * 1024 * 1024,
        PidsLimit: 64,
        NanoCpus: 1e9,
      });
      expect(inspected.HostConfig.Ulimits).toContainEqual({ Name: 'fsize', Soft: 256 * 1024 * 1024, Hard: 256 * 1024 * 1024 });
      expect(Object.keys(inspected.NetworkSettings.Networks)).toEqual([environment.network.getName()]);
      const ended = await running.stop();
      expect(ended.status).toBe('stopped');
      expect((await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${environment.runId}`] } })).filter((c) => c.Names.some((n) => n.includes('-submission-')))).toEqual([]);
    } finally {
      await prepared.dispose();
    }
  });

  // The workspace is a folder of this machine, mounted into the container: without a limit a
  // submission fills this machine's disk for as long as its time limit lets it.
  for (const [mode, how] of [['fill', 'files'], ['grow', 'one file']] as const) {
    it(`ends with disk-limit when it writes more than lab.yaml allows into its workspace (${how})`, async () => {
      const prepared = prepare(128, 32);
      try {
        const started = performance.now();
        const result = await prepared.submission.run({ args: [mode] });
        expect(result.status, result.stderr).toBe('disk-limit');
        expect(result.limitReason).toMatch(/32 MB into its workspace/);
        expect(performance.now() - started).toBeLessThan(30_000);
      } finally {
        await prepared.dispose();
      }
    });
  }

  it('ends with disk-limit when it moves what it writes past the path limit, where no path reaches it; the next run still starts', async () => {
    const prepared = prepare(128, 32);
    try {
      const hidden = await prepared.submission.run({ args: ['deep'] });
      expect(hidden.status, hidden.stderr).toBe('disk-limit');
      // du walks folders relative to each other, so it measures what no path reaches: the run
      // must end near its 32 MB (a monitor tick later), not after the gigabyte and more it writes
      // before the counted folders alone add up to the limit.
      const used = Number(execFileSync('du', ['-s', '--block-size=1', prepared.workspace.root], { encoding: 'utf8' }).split('\t')[0]);
      expect(used / 2 ** 20).toBeLessThan(512);
      const next = await prepared.submission.run({ args: [] });
      expect(next.status, next.stderr).toBe('ok');
    } finally {
      await prepared.dispose();
    }
    expect(existsSync(prepared.workspace.root)).toBe(false);
  });

  it('ends with memory-limit when it uses more than lab.yaml allows', async () => {
    const prepared = prepare(64);
    try {
      const result = await prepared.submission.run({ args: ['bomb'] });
      expect(result.status).toBe('memory-limit');
      expect(result.limitReason).toMatch(/64 MB/);
    } finally {
      await prepared.dispose();
    }
  });
});
