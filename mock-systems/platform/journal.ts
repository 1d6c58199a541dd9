import type { JournalEntry, JournalFilter } from './journal-entry.ts';

export type { JournalEntry, JournalFilter } from './journal-entry.ts';

/** Headers whose values are credentials. Their values never leave the server unmasked. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'cookie', 'set-cookie']);
/** Body fields that carry credentials (the OAuth2 token request, token responses). */
const SECRET_FIELD = /secret|password|token|api[-_]?key/i;

export const MASK = '***';

/** A body larger than this is kept as a marker with its size: graders read small requests, a flood must not fill the memory. */
export const JOURNAL_BODY_LIMIT_BYTES = 64 * 1024;
/** What the journal holds in all, bodies and headers; the oldest entries go first beyond it. */
const JOURNAL_BYTE_LIMIT = 64 * 1024 * 1024;

/**
 * The request journal of one mock system: what graders read to judge behaviour (how often a
 * client retried, how long it waited, which idempotency key it sent). Bounded by entries and
 * by bytes: the oldest entries are dropped first, and a large body is kept as its size only, so a
 * runaway client cannot exhaust memory.
 */
export class Journal {
  private entries: JournalEntry[] = [];
  private sizes: number[] = [];
  private bytes = 0;
  private nextId = 1;
  private dropped = 0;

  constructor(private readonly limit = 10_000) {}

  /** Starts an entry; the caller fills in status and timing as the exchange completes. */
  open(entry: Omit<JournalEntry, 'id'>): JournalEntry {
    const bodyBytes = sizeOf(entry.body);
    const body = bodyBytes > JOURNAL_BODY_LIMIT_BYTES ? { journalTruncated: true, bytes: bodyBytes } : maskSecrets(entry.body);
    const recorded: JournalEntry = { id: this.nextId++, ...entry, headers: maskHeaders(entry.headers), body };
    const size = Math.min(bodyBytes, JOURNAL_BODY_LIMIT_BYTES) + sizeOf(recorded.headers) + recorded.path.length;
    this.entries.push(recorded);
    this.sizes.push(size);
    this.bytes += size;
    let drop = 0;
    while (this.entries.length - drop > this.limit || (this.bytes > JOURNAL_BYTE_LIMIT && this.entries.length - drop > 1)) {
      this.bytes -= this.sizes[drop] ?? 0;
      drop += 1;
    }
    if (drop > 0) {
      this.entries.splice(0, drop);
      this.sizes.splice(0, drop);
      this.dropped++;
    }
    return recorded;
  }

  list(filter: JournalFilter = {}, limit?: number): JournalEntry[] {
    const matching = this.entries.filter((entry) => matches(entry, filter));
    return limit === undefined ? matching : matching.slice(-limit);
  }

  count(filter: JournalFilter = {}): number {
    return this.entries.reduce((total, entry) => total + (matches(entry, filter) ? 1 : 0), 0);
  }

  clear(): void {
    this.entries = [];
    this.sizes = [];
    this.bytes = 0;
  }

  /** Id of the newest entry ever recorded (survives clear), for `since` filters. */
  get lastId(): number {
    return this.nextId - 1;
  }

  /** True once entries have been dropped to stay within the limit. */
  get truncated(): boolean {
    return this.dropped > 0;
  }
}

export function matches(entry: JournalEntry, filter: JournalFilter): boolean {
  if (filter.method && entry.method !== filter.method.toUpperCase()) return false;
  if (filter.path && !matchesPath(entry.path, filter.path)) return false;
  if (filter.operationId && entry.operationId !== filter.operationId) return false;
  if (filter.status !== undefined && entry.status !== filter.status) return false;
  if (filter.entity && entry.entity !== filter.entity) return false;
  if (filter.since !== undefined && entry.id <= filter.since) return false;
  return true;
}

/** Exact path, or a prefix ending in `*`: the one path pattern of journal filters and fault rules. */
export function matchesPath(path: string, pattern: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

/** Bytes of a value as JSON; a value too deep to serialise counts as over any limit. */
function sizeOf(value: unknown): number {
  if (value === undefined) return 0;
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
}

function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      if (!SECRET_HEADERS.has(name)) return [name, value];
      // Keep the scheme so a grader can still tell Bearer from Basic.
      const scheme = /^(Bearer|Basic)\s/i.exec(value)?.[1];
      return [name, scheme ? `${scheme} ${MASK}` : MASK];
    }),
  );
}

export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, SECRET_FIELD.test(key) && typeof inner === 'string' ? MASK : maskSecrets(inner)]),
    );
  }
  return value;
}
