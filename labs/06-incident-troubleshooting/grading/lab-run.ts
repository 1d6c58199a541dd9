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
 * reads both answer files against it, and rehearses the change of mitigation.yaml. When the
 * trainer gave the seed (`lab grade --seed`: the night the candidate was handed), that night is
 * read instead, and a diagnosis naming another (a colleague's, the published reference's) is
 * told so. A take-home bundle has one night only, and does the same with it.
 */
export async function labRun(systems: Systems, runNight: Night, diagnosisFile: unknown, mitigationFile: unknown, options: { seedGiven: boolean }): Promise<LabRun> {
  const named = seedNamed(diagnosisFile);
  const reuse = options.seedGiven || named === undefined || named === runNight.seed || !canReplayAnyNight();
  const incident = reuse ? runNight : await nightOf(systems, named);
  const diagnosis = parseDiagnosis(diagnosisFile, incident, options.seedGiven ? 'seed-given' : 'bundle');
  const mitigation = parseMitigation(mitigationFile, incident);
  const rehearsal = mitigation.ok ? await runRehearsal(systems, incident, mitigation.value) : undefined;
  return { incident, seedFrom: named === undefined ? 'run' : 'diagnosis', diagnosis, mitigation, ...(rehearsal ? { rehearsal } : {}) };
}
