import type { Night, Systems } from '../incident/night.ts';
import { runRehearsal, type Rehearsal } from '../incident/rehearsal.ts';
import { parseDiagnosis, parseMitigation, seedNamed, type Diagnosis, type MitigationPlan, type Parsed } from './answer-files.ts';
import { canReplayAnyNight, nightOf } from './night-source.ts';

/** Everything the checks read, computed once per grading. */
export interface LabRun {
  /** The night diagnosed: the seed diagnosis.yaml names, or the run's (in a take-home bundle, always the bundle's). */
  incident: Night;
  seedFrom: 'diagnosis' | 'run';
  diagnosis: Parsed<Diagnosis>;
  mitigation: Parsed<MitigationPlan>;
  /** The rehearsal of the change; absent when mitigation.yaml could not be read. */
  rehearsal?: Rehearsal;
}

/**
 * Replays the night diagnosis.yaml names (reusing the run's own night when it is that one),
 * reads both answer files against it, and rehearses the change of mitigation.yaml. A take-home
 * bundle has one night only: a diagnosis naming another is read against it, and told so.
 */
export async function labRun(systems: Systems, runNight: Night, diagnosisFile: unknown, mitigationFile: unknown): Promise<LabRun> {
  const named = seedNamed(diagnosisFile);
  const reuse = named === undefined || named === runNight.seed || !canReplayAnyNight();
  const incident = reuse ? runNight : await nightOf(systems, named);
  const diagnosis = parseDiagnosis(diagnosisFile, incident);
  const mitigation = parseMitigation(mitigationFile, incident);
  const rehearsal = mitigation.ok ? await runRehearsal(systems, incident, mitigation.value) : undefined;
  return { incident, seedFrom: named === undefined ? 'run' : 'diagnosis', diagnosis, mitigation, ...(rehearsal ? { rehearsal } : {}) };
}
