// The plan of a night: which causes strike, where, and the configuration flaws that let them.
// Hidden: it is the ground truth of every seed, so `lab pack` leaves it out of a bundle.
import type { FaultAction } from '../../../mock-systems/platform/fault-rules.ts';
import { createRandom, type Random } from '../../../mock-systems/platform/random.ts';
import { RETRY_ON_ALL, type JobConfig } from '../job/config.ts';
import { WAVE_INTERVAL_MS, WAVE_SIZE } from '../job/export.ts';
import type { Trouble } from '../incident/night.ts';
import { TONIGHT_ORDERS } from '../incident/world.ts';
import { INCIDENT_KINDS, type IncidentKind } from './kinds.ts';

/** How many root causes a night has, before a wave abort brings in the rejection that set it off. */
export const INCIDENTS_PER_NIGHT = 3;
const WAVES = TONIGHT_ORDERS / WAVE_SIZE;
/** A token outlives the last wave it serves by this much, and dies this long before the next one. */
const EXPIRY_MARGIN_S = 20;

export interface PlannedIncident {
  kind: IncidentKind;
  /** Wave and positions the ticket names as examples (1-based). */
  wave: number;
  examples: number[];
}

export interface IncidentPlan {
  seed: number;
  /** `YYYY-MM-DD` of the night. */
  night: string;
  startsAt: number;
  incidents: PlannedIncident[];
  /** The job's configuration that night. */
  config: JobConfig;
  tokenTtlSeconds: number;
  /** Export positions (0-based) whose body the carrier refuses. */
  rejected: { tonight: number[]; nextNight: number[] };
  troubles: Trouble[];
  /** The next night's trouble, which the rehearsal replays against a changed configuration. */
  rehearsal: Trouble[];
  /** Where the ticket's symptoms came in, in minutes after 07:00, one per incident. */
  reportedAfterMinutes: number[];
}

/**
 * The incident of one seed: three root causes (four when a wave abort brings in the rejection
 * that set it off), the configuration flaws that let each happen, and the trouble that sets
 * each off, each in a wave of its own before the token dies. Every seed gives a plan.
 */
export function drawPlan(seed: number): IncidentPlan {
  const random = createRandom(seed, 'lab:06-incident-troubleshooting:plan');
  const kinds = random.helpers.shuffle([...INCIDENT_KINDS]).slice(0, INCIDENTS_PER_NIGHT);
  if (kinds.includes('batch-aborted-after-error') && !kinds.includes('invalid-record-data')) kinds.push('invalid-record-data');
  const config = flawedConfig(kinds);

  const expiryWave = kinds.includes('expired-credential') ? random.helpers.arrayElement([4, 5]) : undefined;
  const tokenTtlSeconds = ((expiryWave ?? random.helpers.arrayElement([4, 5])) - 1) * (WAVE_INTERVAL_MS / 1000) - EXPIRY_MARGIN_S;
  const usable = Array.from({ length: (expiryWave ?? WAVES + 1) - 1 }, (_, index) => index + 1);
  const freeWaves = random.helpers.shuffle(usable);

  const incidents: PlannedIncident[] = [];
  const troubles: Trouble[] = [];
  const rejectedTonight: number[] = [];
  /** Positions per wave already given to trouble, so noise stays clear of it. */
  const taken = new Map<number, Set<number>>();
  const take = (wave: number, positions: number[]) => positions.forEach((position) => (taken.get(wave) ?? taken.set(wave, new Set()).get(wave)!).add(position));
  const attempts = config.partner.retry.maxAttempts;

  for (const kind of kinds) {
    if (kind === 'invalid-record-data' && kinds.includes('batch-aborted-after-error')) continue; // planted with the abort
    if (kind === 'expired-credential') {
      const positions = [1, random.number.int({ min: 2, max: WAVE_SIZE })];
      incidents.push({ kind, wave: expiryWave!, examples: positions });
      continue;
    }
    const wave = freeWaves.pop()!;
    switch (kind) {
      case 'rate-limit-exceeded':
      case 'partner-server-error': {
        const failing = kind === 'rate-limit-exceeded' ? random.number.int({ min: 2, max: 3 }) : random.number.int({ min: 1, max: 2 });
        const position = random.number.int({ min: 2, max: 3 });
        const status = kind === 'rate-limit-exceeded' ? 429 : random.helpers.arrayElement([500, 503] as const);
        troubles.push({ type: 'window', wave, position, calls: failing * attempts + 1, status, ...(status === 429 ? { retryAfterSeconds: 2 } : {}) });
        take(wave, range(position, position + failing));
        incidents.push({ kind, wave, examples: [position] });
        break;
      }
      case 'partner-timeout': {
        const positions = pick(random, range(1, WAVE_SIZE), random.number.int({ min: 1, max: 2 }));
        for (const position of positions) troubles.push({ type: 'entity', wave, position, calls: [1], action: { type: 'hang' } });
        take(wave, positions);
        incidents.push({ kind, wave, examples: [positions[0]!] });
        break;
      }
      case 'duplicate-after-lost-response': {
        const position = random.number.int({ min: 1, max: WAVE_SIZE });
        troubles.push({ type: 'entity', wave, position, calls: [1], action: { type: 'lost-response' } });
        take(wave, [position]);
        incidents.push({ kind, wave, examples: [position] });
        break;
      }
      case 'batch-aborted-after-error': {
        const trigger = random.number.int({ min: 3, max: 5 });
        rejectedTonight.push((wave - 1) * WAVE_SIZE + trigger - 1);
        take(wave, range(trigger, WAVE_SIZE));
        incidents.push({ kind, wave, examples: [trigger + 1 + random.number.int({ min: 0, max: WAVE_SIZE - trigger - 1 })] });
        incidents.push({ kind: 'invalid-record-data', wave, examples: [trigger] });
        break;
      }
      case 'invalid-record-data': {
        const positions = pick(random, range(1, WAVE_SIZE), random.number.int({ min: 1, max: 2 }));
        rejectedTonight.push(...positions.map((position) => (wave - 1) * WAVE_SIZE + position - 1));
        take(wave, positions);
        incidents.push({ kind, wave, examples: [positions[0]!] });
        break;
      }
    }
  }

  // Everyday noise a healthy job shrugs off: a 503 asking for a second's pause, a lone 500, and
  // (where a retry keeps its reference, so the order is still booked once under its own) a
  // connection reset before the carrier did anything.
  const noise: FaultAction[] = [{ type: 'status', status: 503, retryAfterSeconds: 1 }, { type: 'status', status: 500 }];
  if (config.partner.reference === 'order') noise.push({ type: 'reset' });
  for (const action of noise) {
    const free = usable.flatMap((wave) => range(1, WAVE_SIZE).filter((position) => !taken.get(wave)?.has(position)).map((position) => ({ wave, position })));
    const spot = random.helpers.arrayElement(free);
    troubles.push({ type: 'entity', wave: spot.wave, position: spot.position, calls: [1], action });
    take(spot.wave, [spot.position]);
  }

  const day = random.number.int({ min: 2, max: 27 });
  const startsAt = Date.UTC(2026, 2, day, 2, 0, 0, random.number.int({ min: 0, max: 999 }));
  const reportedAfterMinutes = random.helpers.shuffle(range(0, 23).map((slot) => slot * 10 + random.number.int({ min: 1, max: 9 }))).slice(0, incidents.length).sort((a, b) => a - b);
  const ticketOrder = random.helpers.shuffle(incidents);
  const next = rehearsalTrouble(random);
  return {
    seed,
    night: `2026-03-${String(day).padStart(2, '0')}`,
    startsAt,
    incidents: ticketOrder,
    config,
    tokenTtlSeconds,
    rejected: { tonight: rejectedTonight.sort((a, b) => a - b), nextNight: next.rejectedNextNight },
    troubles,
    rehearsal: next.troubles,
    reportedAfterMinutes,
  };
}

/** A job configured the way the partner's and the ERP's integration guides ask. */
export function healthyConfig(): JobConfig {
  return {
    scheduler: { onRecordError: 'continue' },
    erp: { tokenRefresh: 'before-expiry' },
    partner: {
      requestsPerSecond: 2,
      timeoutMs: 5000,
      reference: 'order',
      retry: { maxAttempts: 4, backoffMs: 500, honourRetryAfter: true, on: [...RETRY_ON_ALL] },
    },
    logging: { level: 'info' },
  };
}

/** The flaws that let each kind of trouble become an incident; everything else as the guides ask. */
export function flawedConfig(kinds: IncidentKind[]): JobConfig {
  const config = healthyConfig();
  config.logging.level = 'debug';
  for (const kind of kinds) {
    switch (kind) {
      case 'expired-credential':
        config.erp.tokenRefresh = 'never';
        break;
      case 'rate-limit-exceeded':
        config.partner.requestsPerSecond = 0;
        config.partner.retry.honourRetryAfter = false;
        config.partner.retry.backoffMs = 0;
        break;
      case 'partner-server-error':
        config.partner.retry.maxAttempts = 2;
        break;
      case 'partner-timeout':
        config.partner.retry.on = config.partner.retry.on.filter((what) => what !== 'timeout');
        break;
      case 'duplicate-after-lost-response':
        config.partner.reference = 'fresh-after-no-answer';
        break;
      case 'batch-aborted-after-error':
        config.scheduler.onRecordError = 'abort-batch';
        break;
      case 'invalid-record-data':
        break;
    }
  }
  return config;
}

/**
 * The next night, as the rehearsal runs it: every kind of trouble this lab knows, each where a
 * flawed setting turns it into lost or doubled orders, and the partner's real rate limit.
 */
function rehearsalTrouble(random: Random): { troubles: Trouble[]; rejectedNextNight: number[] } {
  const [twice503, throttled] = pick(random, range(1, WAVE_SIZE), 2);
  const [hanging, lost] = pick(random, range(1, WAVE_SIZE), 2);
  const refusedAt = random.number.int({ min: 3, max: 5 });
  return {
    troubles: [
      { type: 'entity', wave: 1, position: twice503!, calls: [1, 2], action: { type: 'status', status: 503 } },
      { type: 'entity', wave: 1, position: throttled!, calls: [1], action: { type: 'status', status: 429, retryAfterSeconds: 2 } },
      { type: 'entity', wave: 2, position: hanging!, calls: [1], action: { type: 'hang' } },
      { type: 'entity', wave: 2, position: lost!, calls: [1], action: { type: 'lost-response' } },
    ],
    rejectedNextNight: [2 * WAVE_SIZE + refusedAt - 1],
  };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

/** `count` different values, in ascending order. */
function pick(random: Random, values: number[], count: number): number[] {
  return random.helpers.shuffle([...values]).slice(0, count).sort((a, b) => a - b);
}
