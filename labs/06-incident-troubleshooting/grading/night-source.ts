import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Night, Systems } from '../incident/night.ts';
import { PACKED_NIGHT_FILE, readPackedNight, restoreNight } from '../incident/packed-night.ts';

/** The full lab replays any night from its plan; the plan is the answer key, so only hidden/ has it. */
const REPLAY = new URL('../hidden/incident-run.ts', import.meta.url);

/** Whether this copy of the lab can replay any seed's night (the full lab), or holds one (a take-home bundle). */
export function canReplayAnyNight(): boolean {
  return existsSync(fileURLToPath(REPLAY));
}

/**
 * The night of `seed`, with the ERP and the carrier left as it left them. The full lab replays
 * it; a take-home bundle has the night of the seed it was packed with and restores that one,
 * whatever seed is asked (its diagnosis.yaml names that seed; a different one is reported).
 */
export async function nightOf(systems: Systems, seed: number): Promise<Night> {
  if (canReplayAnyNight()) {
    const { runIncident } = await import('../hidden/incident-run.ts');
    return runIncident(systems, seed);
  }
  const packed = readPackedNight();
  if (!packed) throw new Error(`labs/06-incident-troubleshooting has neither hidden/ (the full lab) nor ${PACKED_NIGHT_FILE} (a take-home bundle written by lab pack): restore the lab folder`);
  await restoreNight(systems, packed);
  return packed;
}
