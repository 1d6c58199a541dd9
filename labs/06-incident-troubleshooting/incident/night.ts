import type { LabEnvironment, MockSystemAdmin } from '../../../grader/environment/environment.ts';
import type { FaultAction, FaultRuleInput } from '../../../mock-systems/platform/fault-rules.ts';
import { WAVE_SIZE, type ExportOrder } from '../job/export.ts';
import type { SystemLink, SystemName } from '../job/http.ts';
import type { Component } from '../job/log.ts';
import type { SchedulerHooks } from '../job/scheduler.ts';
import type { World } from './world.ts';

/** What the incident needs of a lab environment: the ERP and the partner, and their admin API. */
export type Systems = Pick<LabEnvironment, 'variables' | 'systems'>;

/** A booking the carrier holds, as the handout shows it (no addresses). */
export interface Booking {
  shipmentId: string;
  reference: string;
}

/**
 * Scripted trouble, placed by wave and position so it strikes the same order whatever the
 * configuration. A window fails every booking call from the moment the wave reaches the
 * order at `position`, for `calls` calls; an entity rule fails the given calls for one order.
 */
export type Trouble =
  | { type: 'window'; wave: number; position: number; calls: number; status: 429 | 500 | 503; retryAfterSeconds?: number }
  | { type: 'entity'; wave: number; position: number; calls: number[]; action: FaultAction };

/**
 * A night as the public checks and the rehearsal see it: what the handout shows (the logs, the
 * carrier's bookings, the ticket's incident ids, the export) and the next night the rehearsal
 * runs. Nothing in it says what went wrong or why: the full lab's replay (hidden/incident-run.ts)
 * adds the plan and the job's own outcomes for the hidden checks; a take-home bundle has only
 * this, read from the handout it ships (incident/packed-night.ts).
 */
export interface Night {
  seed: number;
  /** `YYYY-MM-DD` of the night. */
  date: string;
  /** When the nightly run started, on the job's clock (ms since the epoch). */
  startsAt: number;
  /** The ERP's token lifetime that night (the logs show it as expiresInSeconds). */
  tokenTtlSeconds: number;
  /** The incident ids of the ticket, in its order. */
  tickets: string[];
  world: World;
  /** The job's log lines of the night, per component, as the handout's files hold them. */
  logs: Record<Component, string[]>;
  /** What the carrier holds after the night. */
  bookings: Booking[];
  /** The next night's trouble, and the positions of its export the carrier refuses (0-based). */
  nextNight: { troubles: Trouble[]; refused: number[] };
}

/** The ticket's id of the i-th symptom (0-based): INC-1, INC-2, … */
export const ticketId = (index: number): string => `INC-${index + 1}`;

export function admins(systems: Systems): Record<SystemName, MockSystemAdmin> {
  const { erp, partner } = systems.systems;
  if (!erp || !partner) throw new Error('lab 06 needs the ERP and the partner; lab.yaml lists both as services');
  return { erp, partner };
}

export async function bookingsOf(partner: MockSystemAdmin): Promise<Booking[]> {
  const { shipments } = await partner.state<{ shipments: Array<{ id: string; reference: string }> }>();
  return shipments.map(({ id, reference }) => ({ shipmentId: id, reference }));
}

export function credentialsOf(systems: Systems): { erpClientId: string; erpClientSecret: string; partnerApiKey: string } {
  const { ERP_CLIENT_ID, ERP_CLIENT_SECRET, PARTNER_API_KEY } = systems.variables;
  if (!ERP_CLIENT_ID || !ERP_CLIENT_SECRET || !PARTNER_API_KEY) throw new Error('the environment gives no ERP client or partner key');
  return { erpClientId: ERP_CLIENT_ID, erpClientSecret: ERP_CLIENT_SECRET, partnerApiKey: PARTNER_API_KEY };
}

export function systemUrl(systems: Systems, name: 'ERP_URL' | 'PARTNER_URL'): string {
  const value = systems.variables[name];
  if (!value) throw new Error(`the environment gives no ${name}`);
  return value;
}

/** The job's links to the systems: their URLs, their clocks, and the partner's journal to tell a hang. */
export function linksOf(systems: Systems, options: { partnerSyncEveryMs: number }): Record<SystemName, SystemLink> {
  const { erp, partner } = admins(systems);
  return {
    erp: { url: systemUrl(systems, 'ERP_URL'), advanceClock: async (ms) => void (await erp.advanceClock(ms)), syncEveryMs: 1_000 },
    partner: {
      url: systemUrl(systems, 'PARTNER_URL'),
      advanceClock: async (ms) => void (await partner.advanceClock(ms)),
      syncEveryMs: options.partnerSyncEveryMs,
      neverAnswers: async (entity, requestId) =>
        (await partner.requests({ operationId: 'createShipment', entity })).some((entry) => entry.headers['x-request-id'] === requestId && (entry.fault ?? '').split(',').includes('hang')),
    },
  };
}

/**
 * Installs the per-order rules at once and returns the hook that opens each window as its
 * wave reaches the order it starts at.
 */
export async function installTrouble(partner: MockSystemAdmin, troubles: Trouble[], orders: ExportOrder[]): Promise<SchedulerHooks> {
  const orderAt = (wave: number, position: number) => orders[(wave - 1) * WAVE_SIZE + position - 1]!.orderId;
  for (const trouble of troubles) {
    if (trouble.type !== 'entity') continue;
    const orderId = orderAt(trouble.wave, trouble.position);
    await partner.addFault({ id: `${trouble.action.type}-${orderId}`, match: { operationId: 'createShipment', entity: orderId }, trigger: { calls: trouble.calls, countBy: 'entity' }, action: trouble.action });
  }
  const windows = troubles.filter((trouble): trouble is Extract<Trouble, { type: 'window' }> => trouble.type === 'window');
  return {
    async beforeOrder(wave, position) {
      for (const window of windows.filter((candidate) => candidate.wave === wave && candidate.position === position)) {
        const rule: FaultRuleInput = {
          id: `window-${window.status}-wave-${wave}`,
          match: { operationId: 'createShipment' },
          trigger: { calls: Array.from({ length: window.calls }, (_, index) => index + 1) },
          action: { type: 'status', status: window.status, ...(window.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: window.retryAfterSeconds }) },
        };
        await partner.addFault(rule);
      }
    },
  };
}

/** The bookings the carrier holds for an order: under its own reference, or under `<order id>-<n>`. */
export function bookingsFor(bookings: Booking[], orderId: string): Booking[] {
  return bookings.filter((booking) => booking.reference === orderId || booking.reference.startsWith(`${orderId}-`));
}
