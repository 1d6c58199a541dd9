import { spawnSync } from 'node:child_process';
import { isIP } from 'node:net';
import { processesOf, type SandboxUser } from './sandbox-user.ts';

/** A TCP address a run may connect to: one of its lab's services. */
export interface ServiceAddress {
  host: string;
  port: number;
}

export interface RunFirewall {
  /** Takes the run's entries out again; the grader calls it when the run is over. */
  remove(): void;
}

/** The nftables table every grader on this machine shares; each run adds entries to its sets. */
const TABLE = 'inet integration_lab';

/**
 * What the kernel checks on every packet a process sends: a run's user (the set `users`) may
 * open TCP connections to its own services (the set `allowed`, of uid . address . port) and to
 * nothing else; every other packet of that user, IPv4 or IPv6, is rejected (TCP with a reset, so
 * a connection fails at once instead of hanging). Other processes are not matched. Entries
 * outlive a grader that is killed for a day at most; the next grader removes them sooner.
 */
const TABLE_DEFINITION = `table ${TABLE} {
  set users { type uid; flags timeout; }
  set allowed { type uid . ipv4_addr . inet_service; flags timeout; }
  chain output {
    type filter hook output priority filter; policy accept;
    meta skuid @users meta skuid . ip daddr . tcp dport @allowed accept
    meta skuid @users meta l4proto tcp reject with tcp reset
    meta skuid @users reject
  }
}
`;

/** Longer than any grading; an entry a killed grader left expires by itself. */
const ENTRY_TIMEOUT = '24h';

/**
 * Keeps one run's user to the run's own services: not another run's mock systems or broker on
 * the same loopback (a cohort graded side by side), not the grader's other listeners, not the
 * machine's other services, not the internet. The kernel matches the socket's owner, which is
 * why only a run with a user of its own gets this. Unix and abstract sockets are not IP; the
 * mount namespace hides the folders where other programs' sockets live.
 */
export function openRunFirewall(nft: string, user: SandboxUser, allowed: ServiceAddress[]): RunFirewall {
  const entries = allowed.filter((address) => isIP(address.host) === 4).map((address) => `${user.uid} . ${address.host} . ${address.port}`);
  apply(nft, [
    `add element ${TABLE} users { ${user.uid} timeout ${ENTRY_TIMEOUT} }`,
    ...(entries.length > 0 ? [`add element ${TABLE} allowed { ${entries.map((entry) => `${entry} timeout ${ENTRY_TIMEOUT}`).join(', ')} }`] : []),
  ]);
  return {
    remove() {
      apply(nft, [...(entries.length > 0 ? [`delete element ${TABLE} allowed { ${entries.join(', ')} }`] : []), `delete element ${TABLE} users { ${user.uid} }`]);
    },
  };
}

/**
 * The nft binary, when this process may change the rules (root): the table is made if it is
 * missing, and the entries of runs whose user has no process left (a grader that was killed)
 * are removed. Undefined when nftables cannot be used here.
 */
export function prepareFirewall(nft: string | undefined): string | undefined {
  if (!nft) return undefined;
  const listed = spawnSync(nft, ['-j', 'list', 'table', ...TABLE.split(' ')], { encoding: 'utf8' });
  if (listed.status !== 0) {
    const created = spawnSync(nft, ['-f', '-'], { input: TABLE_DEFINITION, encoding: 'utf8' });
    return created.status === 0 ? nft : undefined;
  }
  removeStaleEntries(nft, listed.stdout);
  return nft;
}

interface ListedElement {
  elem?: { val: unknown };
}

function removeStaleEntries(nft: string, listing: string): void {
  let sets: Array<{ name: string; elem?: Array<ListedElement | number | { concat: unknown[] }> }>;
  try {
    const parsed = JSON.parse(listing) as { nftables: Array<{ set?: { name: string; elem?: Array<ListedElement | number> } }> };
    sets = parsed.nftables.flatMap((item) => (item.set ? [item.set] : []));
  } catch {
    return;
  }
  const valueOf = (element: unknown): unknown => (element && typeof element === 'object' && 'elem' in element ? (element as ListedElement).elem!.val : element);
  const users = (sets.find((set) => set.name === 'users')?.elem ?? []).map(valueOf).filter((uid): uid is number => typeof uid === 'number');
  const stale = new Set(users.filter((uid) => processesOf(uid).length === 0));
  if (stale.size === 0) return;
  const allowed = (sets.find((set) => set.name === 'allowed')?.elem ?? [])
    .map(valueOf)
    .flatMap((value) => {
      const parts = (value as { concat?: unknown[] } | undefined)?.concat;
      return parts && stale.has(parts[0] as number) ? [parts.join(' . ')] : [];
    });
  try {
    apply(nft, [
      ...(allowed.length > 0 ? [`delete element ${TABLE} allowed { ${allowed.join(', ')} }`] : []),
      `delete element ${TABLE} users { ${[...stale].join(', ')} }`,
    ]);
  } catch {
    // another grader removed them first
  }
}

/** Every change of one call in one `nft -f`: one process and one atomic commit. */
function apply(nft: string, commands: string[]): void {
  const result = spawnSync(nft, ['-f', '-'], { input: `${commands.join('\n')}\n`, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`nft refused the run's packet filter entries: ${(result.stderr || result.error?.message || '').trim()}`);
}
