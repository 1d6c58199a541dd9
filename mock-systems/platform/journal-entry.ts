/** One request as the journal records it. Secrets in headers are masked before recording. */
export interface JournalEntry {
  /** Sequence number, increasing per system from 1. */
  id: number;
  /** Wall-clock time the request arrived (ISO 8601), for people reading the journal. */
  receivedAt: string;
  /** Monotonic milliseconds since the server started, for measuring gaps between calls (backoff). */
  elapsedMs: number;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  /** The parsed body (JSON or form), or the raw text when it could not be parsed. */
  body: unknown;
  /** The operationId the request matched, if any. */
  operationId?: string;
  /** Status sent, or undefined when no response was sent (hang, reset, lost response). */
  status?: number;
  responseBody?: unknown;
  /** How long the server took to answer, in milliseconds. */
  durationMs?: number;
  /** The fault applied, e.g. `status:503`, `reset`, `lost-response`. */
  fault?: string;
  /** The entity the request touched (see MockSystem.entityOf). */
  entity?: string;
}

export interface JournalFilter {
  method?: string;
  /** Exact path, or a prefix ending in `*`. */
  path?: string;
  operationId?: string;
  status?: number;
  entity?: string;
  /** Only entries with id greater than this (for reading new entries since a mark). */
  since?: number;
}
