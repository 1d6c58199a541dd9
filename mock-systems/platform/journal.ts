import type { JournalEntry, JournalFilter } from './journal-entry.ts';
import { MAX_JSON_DEPTH } from './json-depth.ts';

export type { JournalEntry, JournalFilter } from './journal-entry.ts';

/** Headers whose values are credentials. Their values never leave the server unmasked. */
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'cookie', 'set-cookie']);
/** Body fields that carry credentials (the OAuth2 token request, token responses). */
const SECRET_FIELD = /secret|password|token|api[-_]?key/i;

export const MASK = '***';

/** A body larger than this is kept as a marker with its size: graders read small requests, a flood must not fill the memory. */
export const JOURNAL_BODY_LIMIT_BYTES = 64 * 1024;
/** What the journal holds in all, bodies and headers; the oldest entries go first beyond it. */
export const JOURNAL_BYTE_LIMIT = 64 * 1024 * 1024;
export const JOURNAL_ENTRY_LIMIT = 10_000;
/** What masking puts in place of a value nested deeper than any body the mocks accept. */
const TOO_DEEP = '[nested too deep]';

/** A page of the listing: enough for a person reading it, small however large the journal has grown. */
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1_000;

interface Slot {
  entry: JournalEntry;
  /** Bytes this entry counts against the byte bound (bodies, headers, path). */
  bytes: number;
}

/** One page of the journal, oldest first; `nextSince` continues it when more entries match. */
export interface JournalPage {
  requests: JournalEntry[];
  nextSince?: number;
}

/**
 * The request journal of one mock system: what graders read to judge behaviour (how often a
 * client retried, how long it waited, which idempotency key it sent). Bounded by entries and
 * by bytes: the oldest entries are dropped first, and a large body is kept as its size only, so a
 * runaway client cannot exhaust memory. Entries sit in a ring, so dropping the oldest costs the
 * same however full the journal is.
 */
export class Journal {
  private readonly ring: Array<Slot | undefined>;
  /** Index of the oldest slot. */
  private head = 0;
  private size = 0;
  private bytes = 0;
  private nextId = 1;
  private dropped = 0;
  private readonly slotOf = new WeakMap<JournalEntry, Slot>();

  constructor(
    private readonly limit = JOURNAL_ENTRY_LIMIT,
    private readonly byteLimit = JOURNAL_BYTE_LIMIT,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`journal limit must be an integer >= 1, got ${limit}`);
    this.ring = new Array<Slot | undefined>(limit);
  }

  /** Starts an entry; the caller fills in status and timing as the exchange completes. */
  open(entry: Omit<JournalEntry, 'id'>): JournalEntry {
    const { value: body, bytes: bodyBytes } = boundedBody(entry.body);
    const recorded: JournalEntry = { id: this.nextId++, ...entry, headers: maskHeaders(entry.headers), body };
    if (this.size === this.limit) this.dropOldest();
    const slot: Slot = { entry: recorded, bytes: bodyBytes + sizeOf(recorded.headers) + recorded.path.length };
    this.ring[(this.head + this.size) % this.limit] = slot;
    this.size += 1;
    this.slotOf.set(recorded, slot);
    this.bytes += slot.bytes;
    this.keepWithinBytes();
    return recorded;
  }

  /** Records what the system answered, masked and bounded like a request body. */
  recordResponse(entry: JournalEntry, body: unknown): void {
    const { value, bytes } = boundedBody(body);
    entry.responseBody = value;
    const slot = this.slotOf.get(entry);
    if (!slot) return; // already dropped: nothing left to account for
    slot.bytes += bytes;
    this.bytes += bytes;
    this.keepWithinBytes();
  }

  /** Every matching entry, oldest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const matching: JournalEntry[] = [];
    this.forEach((entry) => {
      if (matches(entry, filter)) matching.push(entry);
    });
    return matching;
  }

  /** At most `limit` matching entries, oldest first, after `filter.since`. */
  page(filter: JournalFilter, limit: number): JournalPage {
    const requests: JournalEntry[] = [];
    let more = false;
    this.forEach((entry) => {
      if (more || !matches(entry, filter)) return;
      if (requests.length < limit) requests.push(entry);
      else more = true;
    });
    return more ? { requests, nextSince: requests.at(-1)!.id } : { requests };
  }

  count(filter: JournalFilter = {}): number {
    let total = 0;
    this.forEach((entry) => {
      if (matches(entry, filter)) total += 1;
    });
    return total;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.size = 0;
    this.bytes = 0;
    this.dropped = 0;
  }

  /** Id of the newest entry ever recorded (survives clear), for `since` filters. */
  get lastId(): number {
    return this.nextId - 1;
  }

  /** True once entries have been dropped to stay within the limit (since the last clear). */
  get truncated(): boolean {
    return this.dropped > 0;
  }

  /**
   * How many of the oldest entries were dropped to stay within the limits since the last clear.
   * A grader must not credit what it cannot see: a check that finds no retry in a journal that
   * dropped entries may only have lost them (grader/grading/journal-overflow.ts).
   */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Bytes the held entries count against the byte bound. */
  get heldBytes(): number {
    return this.bytes;
  }

  private forEach(visit: (entry: JournalEntry) => void): void {
    for (let offset = 0; offset < this.size; offset++) visit(this.ring[(this.head + offset) % this.limit]!.entry);
  }

  private keepWithinBytes(): void {
    // The newest entry always stays, so a grader sees the last request whatever its size.
    while (this.bytes > this.byteLimit && this.size > 1) this.dropOldest();
  }

  private dropOldest(): void {
    const slot = this.ring[this.head]!;
    this.ring[this.head] = undefined;
    this.slotOf.delete(slot.entry);
    this.bytes -= slot.bytes;
    this.head = (this.head + 1) % this.limit;
    this.size -= 1;
    this.dropped += 1;
  }
}

/** A body masked, or a marker with its size when it is too large to keep. */
function boundedBody(body: unknown): { value: unknown; bytes: number } {
  const bytes = sizeOf(body);
  if (bytes > JOURNAL_BODY_LIMIT_BYTES) {
    return { value: { journalTruncated: true, bytes: bytes === Number.MAX_SAFE_INTEGER ? undefined : bytes }, bytes: 64 };
  }
  return { value: maskSecrets(body), bytes };
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

/** Masks credential fields at any depth; what lies deeper than any accepted body is replaced, never walked. */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_JSON_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((inner) => maskSecrets(inner, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_FIELD.test(key) && typeof inner === 'string' ? MASK : maskSecrets(inner, depth + 1)]),
  );
}
