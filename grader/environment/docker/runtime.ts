import { hostname } from 'node:os';
import type { ContainerRuntimeClient, GenericContainer, StartedNetwork } from 'testcontainers';

type HealthCheck = Parameters<GenericContainer['withHealthCheck']>[0];

/** Labels every container and network of a docker run carries, besides Testcontainers' own. */
export const RUN_LABEL = 'integration-lab.run';
export const PID_LABEL = 'integration-lab.grader-pid';
const HOST_LABEL = 'integration-lab.grader-host';

/**
 * Testcontainers' reaper (Ryuk) is an image pulled from a registry, which an offline machine
 * cannot reach; so it stays off and runs clean up after themselves by label (removeRunResources,
 * removeLeftovers). Without the host override, Testcontainers' start-up tries to pull a helper
 * image once to find the Docker host.
 */
function configureTestcontainers(): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  // An address, not `localhost`: the services are published on 127.0.0.1 alone, and localhost
  // may name ::1 first.
  process.env.TESTCONTAINERS_HOST_OVERRIDE ??= LOOPBACK;
}

/** Testcontainers, loaded only on the docker path (and configured before it first loads). */
export async function loadTestcontainers(): Promise<typeof import('testcontainers')> {
  configureTestcontainers();
  return import('testcontainers');
}

export async function dockerClient(): Promise<ContainerRuntimeClient> {
  const { getContainerRuntimeClient } = await loadTestcontainers();
  try {
    return await getContainerRuntimeClient();
  } catch (error) {
    throw new Error(
      `No Docker engine answers (${(error as Error).message.split('\n')[0]}). The docker provider needs one: ` +
        `'apt-get install docker.io', start dockerd, then build the images with scripts/build-images.sh (see docs/docker.md).`,
    );
  }
}

export function runLabels(runId: string): Record<string, string> {
  return { 'org.testcontainers': 'true', [RUN_LABEL]: runId, [PID_LABEL]: String(process.pid), [HOST_LABEL]: hostname() };
}

/** Refuses early, naming the build command, when an image is missing: offline, a pull would only fail later and obscurely. */
export async function requireImages(client: ContainerRuntimeClient, images: string[]): Promise<void> {
  const missing: string[] = [];
  for (const image of new Set(images)) {
    const present = await client.container.dockerode.getImage(image).inspect().then(() => true, () => false);
    if (!present) missing.push(image);
  }
  if (missing.length > 0) {
    throw new Error(`Docker image${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found on this machine: build them with scripts/build-images.sh (no registry is used).`);
  }
}

/**
 * An internal bridge network for one run: containers on it reach each other by alias and
 * nothing else through it, not even this machine. Testcontainers' own Network is never internal.
 */
export async function createRunNetwork(client: ContainerRuntimeClient, runId: string): Promise<StartedNetwork> {
  const { StartedNetwork } = await loadTestcontainers();
  const name = `integration-lab-${runId}`;
  const network = await client.network.create({
    Name: name,
    Driver: 'bridge',
    Internal: true,
    // --internal alone still lets a container reach this machine's own services through the
    // bridge's address; with no host address on the bridge there is none to reach. The grader
    // reaches the services through their published ports on the default bridge instead.
    Options: { 'com.docker.network.bridge.inhibit_ipv4': 'true' },
    Labels: runLabels(runId),
  });
  return new StartedNetwork(client, name, network);
}

/**
 * Turns an image's healthcheck off (Docker's `NONE`, which Testcontainers' type does not list).
 * Healthchecks are for compose; a run waits for each service's ready line, and a check that
 * runs every two seconds would take CPU from the submission being graded.
 */
export const WITHOUT_IMAGE_HEALTHCHECK = { test: ['NONE'] } as unknown as HealthCheck;

/** Labels a container with its run, so cleanup finds it whatever happens to this process. */
export function labelled<T extends GenericContainer>(container: T, runId: string): T {
  return container.withLabels(runLabels(runId));
}

/** Where a service's ports are published: the grader on this machine is their only client. */
const LOOPBACK = '127.0.0.1';

/**
 * A container for one of a run's services, labelled with the run, whose ports are published on
 * 127.0.0.1 only. Docker publishes on every address of this machine unless told otherwise, and
 * then anyone who reaches this machine could read or change a run's services (Kafka has no
 * authentication). Testcontainers 11.9 has no setter for a binding's address, so it is set on
 * the bindings as the container starts.
 */
export async function serviceContainer(image: string, runId: string): Promise<GenericContainer> {
  const { GenericContainer } = await loadTestcontainers();
  class LoopbackServiceContainer extends GenericContainer {
    override start() {
      for (const bindings of Object.values(this.hostConfig.PortBindings ?? {})) for (const binding of bindings as Array<{ HostIp?: string }>) binding.HostIp = LOOPBACK;
      return super.start();
    }
  }
  return labelled(new LoopbackServiceContainer(image), runId);
}

/** Removes what one run left: its containers (with their anonymous volumes), its labelled volumes, then its network. */
export async function removeRunResources(client: ContainerRuntimeClient, runId: string): Promise<void> {
  await removeWhere(client, (labels) => labels[RUN_LABEL] === runId);
}

/**
 * Removes the containers and networks of runs whose grader is gone: killed, crashed, or cut
 * off before it could clean up. Only this machine's graders are judged, by their pid; a run
 * whose grader still lives is left alone.
 */
export async function removeLeftovers(client: ContainerRuntimeClient): Promise<void> {
  const here = hostname();
  await removeWhere(client, (labels) => labels[HOST_LABEL] === here && !isAlive(Number(labels[PID_LABEL])));
}

async function removeWhere(client: ContainerRuntimeClient, matches: (labels: Record<string, string>) => boolean): Promise<void> {
  const docker = client.container.dockerode;
  const containers = await docker.listContainers({ all: true, filters: { label: [RUN_LABEL] } });
  await Promise.all(
    containers
      .filter((container) => matches(container.Labels))
      .map((container) => docker.getContainer(container.Id).remove({ force: true, v: true }).catch(ignoreGone)),
  );
  // No image of ours declares a volume and no run creates one today; a volume that carries a
  // run's labels (a future service's data, a mount a test made) goes with the run all the same.
  const { Volumes: volumes } = await docker.listVolumes({ filters: { label: [RUN_LABEL] } });
  await Promise.all(
    (volumes ?? []).filter((volume) => matches(volume.Labels ?? {})).map((volume) => docker.getVolume(volume.Name).remove({ force: true }).catch(ignoreGone)),
  );
  const networks = await docker.listNetworks({ filters: { label: [RUN_LABEL] } });
  await Promise.all(
    networks.filter((network) => matches(network.Labels ?? {})).map((network) => docker.getNetwork(network.Id).remove().catch(ignoreGone)),
  );
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Another cleanup (a Ctrl-C racing the normal stop) may have removed it first. */
function ignoreGone(error: { statusCode?: number }): void {
  if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
}
