// The files of a night's handout, written from its replay (handout.ts, lab pack). Hidden with
// the ticket it renders.
import { renderConfigYaml } from '../job/config.ts';
import { WAVE_SIZE } from '../job/export.ts';
import { COMPONENTS } from '../job/log.ts';
import { DIAGNOSIS_FILE, HANDOUT, MITIGATION_FILE } from '../incident/handout-paths.ts';
import type { IncidentRun } from './incident-run.ts';
import { renderTicket } from './ticket.ts';

/**
 * What the on-call engineer gets, under `handout/`: the ticket, the three logs, the export and
 * the carrier's bookings, and the job's configuration. No addresses, names or credentials:
 * only the line the job should never have written.
 */
export function handoutFiles(run: IncidentRun): Record<string, string> {
  const files: Record<string, string> = { [HANDOUT.ticket]: renderTicket(run) };
  for (const component of COMPONENTS) files[HANDOUT.log(component)] = run.logs[component].map((line) => `${line}\n`).join('');
  const exported = run.world.tonight.map((order, index) => ({
    orderId: order.orderId,
    wave: Math.floor(index / WAVE_SIZE) + 1,
    serviceLevel: order.serviceLevel,
    parcels: order.parcels.length,
    destinationCountry: order.destination.country,
  }));
  files[HANDOUT.export] = `${JSON.stringify(exported, null, 2)}\n`;
  const bookings = [...run.bookings].sort((a, b) => a.shipmentId.localeCompare(b.shipmentId));
  files[HANDOUT.bookings] = `${JSON.stringify(bookings, null, 2)}\n`;
  files[HANDOUT.config] = `# The order-to-shipment job's configuration on the night of ${run.plan.night}, as deployed.\n${renderConfigYaml(run.plan.config)}`;
  return files;
}

/** diagnosis.yaml and mitigation.yaml as a trainee starts them: the seed, the night's configuration, nothing answered. */
export function answerTemplates(run: IncidentRun): Record<string, string> {
  return {
    [DIAGNOSIS_FILE]: `# Your diagnosis of the incident (schema in the lab's README, "What to hand in").
# The seed says which night you diagnosed; keep it.
seed: ${run.seed}
incidents: []
# - ticket: INC-1                          # an id of the ticket's timeline
#   category: <a root-cause category of the taxonomy>
#   evidence:
#     correlationIds: [<correlation id>]    # the flow(s) that show the cause
#     lines: [<log file>:<line>]            # the line(s) that prove it, e.g. partner-gateway.jsonl:57
#   affectedRecords: [<order id>]           # every order this cause lost or doubled
#   nextStep: <a next diagnostic step of the list>
#   mitigation: <a mitigation of the list>
# leakedLine: <log file>:<line>             # a line the job should never have written
`,
    [MITIGATION_FILE]: `# Your change to the job (schema in the lab's README, "What to hand in"): the configuration you
# would deploy, and the orders to replay with it, for the night diagnosis.yaml names.
config:
${renderConfigYaml(run.plan.config, '  ')}replay: []
`,
  };
}
