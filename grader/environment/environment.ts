import type { FaultRule, FaultRuleInput } from '../../mock-systems/platform/fault-rules.ts';
import type { JournalEntry, JournalFilter } from '../../mock-systems/platform/journal-entry.ts';
import type { Launcher } from '../runner/local-launcher.ts';
import type { SubmissionEnvironment } from './variables.ts';

export type ServiceName = 'crm' | 'erp' | 'partner' | 'kafka' | 'postgres';
export type ProviderName = 'embedded' | 'docker' | 'external';

/**
 * A running lab environment, whichever provider started it. Scenarios and checks talk to it
 * only through this interface (mock systems through their admin HTTP API), so a lab gets the
 * same score on every provider.
 */
export interface LabEnvironment {
  provider: ProviderName;
  seed: number;
  services: ServiceName[];
  /** What the submission gets, and nothing else. */
  variables: SubmissionEnvironment;
  systems: Partial<Record<'crm' | 'erp' | 'partner', MockSystemAdmin>>;
  /** Connection URL of the PostgreSQL server (superuser, for scenarios and checks). */
  databaseUrl?: string;
  kafkaBootstrapServers?: string;
  /**
   * Set by a provider that runs the submission elsewhere than this machine (docker: a container
   * on the run's network): its launcher, and the variables as seen from there.
   */
  submission?: { variables: SubmissionEnvironment; launch: Launcher };
  stop(): Promise<void>;
}

/** A mock system's admin API, as a scenario or check uses it. */
export interface MockSystemAdmin {
  url: string;
  requests(filter?: JournalFilter): Promise<JournalEntry[]>;
  countRequests(filter?: JournalFilter): Promise<number>;
  /** How many of the journal's oldest entries it dropped to stay within its limits (0: it holds every request since the last clear). */
  droppedRequests(): Promise<number>;
  clearRequests(): Promise<void>;
  addFault(rule: FaultRuleInput): Promise<FaultRule>;
  faults(): Promise<FaultRule[]>;
  clearFaults(): Promise<void>;
  /** The system's records as its snapshot() shows them. */
  state<T = unknown>(): Promise<T>;
  /** Regenerates the seeded data and clears journal and faults. */
  reset(options?: { seed?: number; size?: number }): Promise<void>;
  /** Moves the system's clock forward (0 reads it); returns the system's time after the move, in ms since the epoch. */
  advanceClock(ms: number): Promise<number>;
  /** Stops real time from moving the system's clock: from now on only advanceClock does (a reset undoes it). */
  freezeClock(): Promise<number>;
  /** The system's settings, e.g. the partner's `rateLimitPerSecond` and `burst`. */
  settings(): Promise<Record<string, unknown>>;
  /** Changes settings of the running system until the next reset; returns them all. */
  updateSettings(changes: Record<string, unknown>): Promise<Record<string, unknown>>;
}
