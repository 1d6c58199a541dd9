import { spawnSync } from 'node:child_process';
import { isIP } from 'node:net';
import { GRADER, isLiveGrader, type SandboxUser } from './sandbox-user.ts';

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
 * a connection fails at once instead of hanging). Other processes are not matched. Each entry's
 * comment names the grader that added it (sandbox-user.ts, GRADER): entries of a grader that was
 * killed are removed by the next one to start, and expire after a day in any case.
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
  const owned = `timeout ${ENTRY_TIMEOUT} comment ${JSON.stringify(GRADER)}`;
  apply(nft, [
    `add element ${TABLE} users { ${user.uid} ${owned} }`,
    ...(entries.length > 0 ? [`add element ${TABLE} allowed { ${entries.map((entry) => `${entry} ${owned}`).join(', ')} }`] : []),
  ]);
  return {
    remove() {
      try {
        apply(nft, [...(entries.length > 0 ? [`delete element ${TABLE} allowed { ${entries.join(', ')} }`] : []), `delete element ${TABLE} users { ${user.uid} }`]);
      } catch {
        // Already gone (expired, or removed by hand): the run is over either way.
      }
    },
  };
}

/**
 * The nft binary, when this process may change the rules (root): the table is made if it is
 * missing, and the entries of graders that are gone (killed before they could remove them) are
 * removed. Undefined when nftables cannot be used here.
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

interface ListedSet {
  name: string;
  elem?: Array<{ elem?: { val: unknown; comment?: string } } | unknown>;
}

/** Entries whose comment names a grader that is no longer running (or that carry no owner). */
function removeStaleEntries(nft: string, listing: string): void {
  let sets: ListedSet[];
  try {
    const parsed = JSON.parse(listing) as { nftables: Array<{ set?: ListedSet }> };
    sets = parsed.nftables.flatMap((item) => (item.set ? [item.set] : []));
  } catch {
    return;
  }
  const stale = (name: string) =>
    (sets.find((set) => set.name === name)?.elem ?? []).flatMap((element) => {
      const entry = element && typeof element === 'object' && 'elem' in element ? (element as { elem: { val: unknown; comment?: string } }).elem : undefined;
      if (!entry || (entry.comment !== undefined && isLiveGrader(entry.comment))) return [];
      const value = entry.val as number | { concat?: unknown[] };
      return [typeof value === 'number' ? String(value) : (value.concat ?? []).join(' . ')];
    });
  const [users, allowed] = [stale('users'), stale('allowed')];
  if (users.length === 0 && allowed.length === 0) return;
  try {
    apply(nft, [
      ...(allowed.length > 0 ? [`delete element ${TABLE} allowed { ${allowed.join(', ')} }`] : []),
      ...(users.length > 0 ? [`delete element ${TABLE} users { ${users.join(', ')} }`] : []),
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
