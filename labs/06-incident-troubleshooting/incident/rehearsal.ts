import type { JournalEntry } from '../../../mock-systems/platform/journal-entry.ts';
import { createRandom } from '../../../mock-systems/platform/random.ts';
import { RunDeadlineExceeded } from '../job/clock.ts';
import type { JobConfig } from '../job/config.ts';
import type { Component } from '../job/log.ts';
import type { OrderOutcome } from '../job/order-sync.ts';
import { runJob, type JobRun, type JobRunOptions } from '../job/run.ts';
import { admins, bookingsOf, credentialsOf, installTrouble, linksOf, type Booking, type Night, type Systems } from './night.ts';

/** The carrier's contract, which the rehearsal enforces with the partner's own rate limit. */
export const CARRIER_RATE_LIMIT = { perSecond: 2, burst: 2 } as const;
/** Retry-After of the 429 the next night scripts for one order. */
export const SCRIPTED_RETRY_AFTER_SECONDS = 2;
/** The replay runs the morning after the night, once the change is deployed. */
const REPLAY_AFTER_MS = 7.5 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** What the rehearsal of a change did: the job's own view and the systems' records. */
export interface CompletedRehearsal {
  completed: true;
  replayed: string[];
  replayOutcomes: OrderOutcome[];
  nextNightOutcomes: OrderOutcome[];
  /** Next-night orders the carrier refuses as they are. */
  nextNightRefused: string[];
  bookingsBefore: Booking[];
  bookingsAfter: Booking[];
  /** Every booking call the partner received during the rehearsal, oldest first. */
  bookingCalls: JournalEntry[];
  /** ERP calls answered 401 during the rehearsal. */
  erpRefusals: JournalEntry[];
  /** What the job logged in the replay (when there was one) and in the next night. */
  logs: Array<Record<Component, string[]>>;
}

/**
 * A rehearsal the job did not finish with the configuration: a run went past its deadline, or
 * the job threw. That is the change's result, not the grader's failure: every check that needs
 * the rehearsal fails with `reason`.
 */
export interface StoppedRehearsal {
  completed: false;
  /** Which run stopped. */
  stage: 'replay' | 'next night';
  reason: string;
}

export type Rehearsal = CompletedRehearsal | StoppedRehearsal;

/** For a test: how long each run of the rehearsal may take on its clock (job/run.ts's deadline unless given). */
export interface RehearsalOptions {
  deadlineMs?: number;
}

/**
 * The change board's rehearsal of a mitigation, on the systems as the night left them: the
 * job with the new configuration replays the named orders the morning after, then runs the
 * next night's export, which meets every kind of trouble this lab knows, under the carrier's
 * real rate limit.
 */
export async function runRehearsal(systems: Systems, night: Night, change: { config: JobConfig; replay: string[] }, options: RehearsalOptions = {}): Promise<Rehearsal> {
  const { erp, partner } = admins(systems);
  const { world, seed } = night;
  await Promise.all([erp.clearRequests(), partner.clearRequests(), partner.clearFaults()]);
  await partner.updateSettings({ rateLimitPerSecond: CARRIER_RATE_LIMIT.perSecond, burst: CARRIER_RATE_LIMIT.burst });
  const bookingsBefore = await bookingsOf(partner);
  const common = {
    config: change.config,
    credentials: credentialsOf(systems),
    links: linksOf(systems, { partnerSyncEveryMs: 0 }),
    ...(options.deadlineMs === undefined ? {} : { deadlineMs: options.deadlineMs }),
  };

  const byId = new Map(world.tonight.map((order) => [order.orderId, order]));
  const replayOrders = change.replay.flatMap((orderId) => (byId.has(orderId) ? [byId.get(orderId)!] : []));
  let replay: JobRun | undefined;
  if (replayOrders.length > 0) {
    const run = await rehearse('replay', {
      ...common,
      mode: 'replay',
      runId: `replay-${night.date}`,
      orders: replayOrders,
      startsAt: night.startsAt + REPLAY_AFTER_MS,
      random: (stream) => createRandom(seed, `lab:06-incident-troubleshooting:replay:${stream}`),
    });
    if (!run.completed) return run;
    replay = run.job;
  }

  // The day passes: the carrier's rate-limit bucket is full again by the next night.
  await partner.advanceClock(60_000);
  const hooks = await installTrouble(partner, night.nextNight.troubles, world.nextNight);
  const nextNight = await rehearse('next night', {
    ...common,
    mode: 'nightly',
    runId: `night-${new Date(night.startsAt + DAY_MS).toISOString().slice(0, 10)}`,
    orders: world.nextNight,
    startsAt: night.startsAt + DAY_MS,
    random: (stream) => createRandom(seed, `lab:06-incident-troubleshooting:next-night:${stream}`),
    hooks,
  }).finally(() => partner.clearFaults());
  if (!nextNight.completed) return nextNight;

  return {
    completed: true,
    replayed: replayOrders.map((order) => order.orderId),
    replayOutcomes: replay?.outcomes ?? [],
    nextNightOutcomes: nextNight.job.outcomes,
    nextNightRefused: night.nextNight.refused.map((index) => world.nextNight[index]!.orderId),
    bookingsBefore,
    bookingsAfter: await bookingsOf(partner),
    bookingCalls: await partner.requests({ operationId: 'createShipment' }),
    erpRefusals: await erp.requests({ status: 401 }),
    logs: [...(replay ? [replay.logs] : []), nextNight.job.logs],
  };
}

/**
 * One run of the shipped job with the trainee's configuration. Whatever the job throws on the
 * way is what that configuration does to it, so it is the rehearsal's result, with a message
 * the trainee can act on, never an error of the grader.
 */
async function rehearse(stage: StoppedRehearsal['stage'], options: JobRunOptions): Promise<{ completed: true; job: JobRun } | StoppedRehearsal> {
  try {
    return { completed: true, job: await runJob(options) };
  } catch (error) {
    const what = stage === 'replay' ? 'the replay' : 'the next night';
    if (error instanceof RunDeadlineExceeded) {
      return {
        completed: false,
        stage,
        reason: `the job did not finish ${what} with this configuration: ${error.message}. Work out how long one order can take with your throttle, timeout, attempts and backoff`,
      };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { completed: false, stage, reason: `the job stopped with an error in ${what} with this configuration: ${message}` };
  }
}
