// The handout generator: it replays a seed's night from its plan, so it is hidden with the plan.
// handout.ts at the lab's root runs it in the full lab and says what to do in a take-home bundle.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startEnvironment } from '../../../grader/environment/index.ts';
import { runHandoutCommand } from '../../../grader/pack/lab-handout.ts';
import { DIAGNOSIS_FILE, MITIGATION_FILE } from '../incident/handout-paths.ts';
import { answerTemplates, handoutFiles } from './handout-files.ts';
import { runIncident, type IncidentRun } from './incident-run.ts';

/**
 * Writes the incident of one seed into a folder: handout/ (the ticket, the three logs, the
 * export, the carrier's bookings, the job's configuration), diagnosis.yaml (the seed, nothing
 * answered) and mitigation.yaml (that night's configuration, nothing replayed). It replays the
 * night against an ERP and a partner of its own, started on free ports and stopped after.
 */
const HELP = `Usage: npx tsx labs/06-incident-troubleshooting/handout.ts [--seed <n>] [--force] <folder>

Writes the incident of one seed for lab 06 into <folder>:
  handout/TICKET.md            the ticket: what was noticed, and when
  handout/logs/*.jsonl         the job's logs of the night (scheduler, order-sync, partner-gateway)
  handout/state/*.json         the night's export and the carrier's bookings the morning after
  handout/job.yaml             the job's configuration that night
  diagnosis.yaml               your diagnosis, with the seed filled in
  mitigation.yaml              your change: that night's configuration to edit, and the orders to replay

Options:
  --seed <n>   Seed of the incident (default 1, the one in the lab's starter/)
  --force      Overwrite diagnosis.yaml and mitigation.yaml if they exist
  -h, --help   Show this help

Example:
  mkdir -p work && cp -r labs/06-incident-troubleshooting/starter work/06
  npx tsx labs/06-incident-troubleshooting/handout.ts --seed 4711 --force work/06
`;

/** The incident of a seed, replayed on services started for it alone. */
export async function generateIncident(seed: number): Promise<IncidentRun> {
  const env = await startEnvironment({ seed, services: ['erp', 'partner'] });
  try {
    return await runIncident(env, seed);
  } finally {
    await env.stop();
  }
}

export async function writeHandout(folder: string, seed: number, force: boolean): Promise<string[]> {
  const kept = [DIAGNOSIS_FILE, MITIGATION_FILE].filter((file) => !force && existsSync(join(folder, file)));
  if (kept.length > 0) throw new Error(`${kept.join(' and ')} already exist in ${folder}; add --force to replace them with seed ${seed}'s (your answers would be lost)`);
  return writeFiles(folder, await generateIncident(seed));
}

/** The handout of a night and the answer files as a trainee starts them, written into a folder. */
export function writeFiles(folder: string, run: IncidentRun): string[] {
  const files = { ...handoutFiles(run), ...answerTemplates(run) };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), text);
  }
  return Object.keys(files);
}

export function main(argv: string[]): Promise<number> {
  return runHandoutCommand(argv, HELP, async (folder, seed, force) => {
    const written = await writeHandout(folder, seed, force);
    return `Wrote the incident of seed ${seed} to ${folder}: ${written.length} files (handout/TICKET.md first; answer in ${DIAGNOSIS_FILE} and ${MITIGATION_FILE})`;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
