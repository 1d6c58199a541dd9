// The night of a seed replayed from its plan: the full lab's source of every night (setup, the
// named night of a diagnosis, handout.ts, lab pack). Hidden with the plan it replays.
import { createRandom } from '../../../mock-systems/platform/random.ts';
import { runJob, type JobRun } from '../job/run.ts';
import { admins, bookingsOf, credentialsOf, installTrouble, linksOf, ticketId, type Night, type Systems } from '../incident/night.ts';
import { buildWorld } from '../incident/world.ts';
import { drawPlan, type IncidentPlan } from './plan.ts';

/** The night of the incident as it happened: what the handout shows, the plan, and the job's own view of every order. */
export interface IncidentRun extends Night {
  plan: IncidentPlan;
  job: JobRun;
}

/**
 * Replays the night of the incident of `seed` against the ERP and partner of `systems`: resets
 * both to the seed's data, scripts the night's trouble and runs the job with that night's
 * configuration. The same seed gives the same log lines, byte for byte, on any environment.
 * The systems are left as the night left them, without fault rules.
 */
export async function runIncident(systems: Systems, seed: number): Promise<IncidentRun> {
  const plan = drawPlan(seed);
  const world = buildWorld(seed, plan.rejected);
  const { erp, partner } = admins(systems);
  await erp.reset({ seed, size: world.erpSize });
  await partner.reset({ seed });
  // The job runs on a virtual clock and moves the systems' clocks with it; frozen, they see only
  // that time, so token expiry and the carrier's rate limit do not depend on how fast the run is.
  await Promise.all([erp.freezeClock(), partner.freezeClock()]);
  await erp.updateSettings({ tokenTtlSeconds: plan.tokenTtlSeconds });
  // The night's 429s are scripted (a rate limit on real time would not replay byte for byte).
  await partner.updateSettings({ rateLimitPerSecond: 0 });
  const hooks = await installTrouble(partner, plan.troubles, world.tonight);
  const job = await runJob({
    mode: 'nightly',
    runId: `night-${plan.night}`,
    orders: world.tonight,
    config: plan.config,
    startsAt: plan.startsAt,
    credentials: credentialsOf(systems),
    links: linksOf(systems, { partnerSyncEveryMs: 60_000 }),
    random: (stream) => createRandom(seed, `lab:06-incident-troubleshooting:night:${stream}`),
    hooks,
  });
  await partner.clearFaults();
  return {
    seed,
    date: plan.night,
    startsAt: plan.startsAt,
    tokenTtlSeconds: plan.tokenTtlSeconds,
    tickets: plan.incidents.map((_, index) => ticketId(index)),
    world,
    logs: job.logs,
    bookings: await bookingsOf(partner),
    nextNight: { troubles: plan.rehearsal, refused: plan.rejected.nextNight },
    plan,
    job,
  };
}

/** The night a check was given, as the full lab replayed it; a take-home bundle's night has no plan to grade against. */
export function asIncidentRun(night: Night): IncidentRun {
  if (!('plan' in night) || !('job' in night)) throw new Error(`the hidden checks need the night of seed ${night.seed} replayed by the full lab, not restored from a take-home bundle's handout`);
  return night as IncidentRun;
}
