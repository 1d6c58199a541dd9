// The ticket of a night: who noticed what, worded per kind of cause. Hidden: the wording is
// keyed by the cause, so the table below would turn a ticket back into its answer.
import { clockTime } from '../job/clock.ts';
import { WAVE_INTERVAL_MS, WAVE_SIZE } from '../job/export.ts';
import { ticketId } from '../incident/night.ts';
import type { IncidentRun } from './incident-run.ts';
import type { IncidentKind } from './kinds.ts';
import type { PlannedIncident } from './plan.ts';

/** What each kind of trouble looks like from the business side: who notices, and what. */
const SYMPTOMS: Record<IncidentKind, { reporter: string; text: (examples: string[], waveTime: string) => string }> = {
  'expired-credential': {
    reporter: 'Warehouse Duisburg',
    text: (examples, waveTime) => `None of the orders released from ${waveTime} on got a label, e.g. ${examples.join(' and ')}. The waves before are fine.`,
  },
  'rate-limit-exceeded': {
    reporter: "Carrier's account manager",
    text: (examples, waveTime) => `"Our gateway flagged your API key around ${waveTime} last night; can you check what you sent us?" The warehouse adds that ${examples[0]} of that wave has no label.`,
  },
  'partner-server-error': {
    reporter: 'Customer service',
    text: (examples) => `Order ${examples[0]} shows "shipping failed" in the shop; the customer wants a delivery date.`,
  },
  'partner-timeout': {
    reporter: 'Customer service',
    text: (examples) => `The customer of ${examples[0]} asks why the parcel has not left; the shop has shown "label pending" since last night.`,
  },
  'duplicate-after-lost-response': {
    reporter: 'Finance',
    text: (examples) => `The carrier's pre-invoice lists two shipments for order ${examples[0]}; the warehouse printed two labels for one parcel.`,
  },
  'batch-aborted-after-error': {
    reporter: 'Warehouse Duisburg',
    text: (examples, waveTime) => `Parcels of the ${waveTime} wave are still on the dock without labels, e.g. ${examples[0]}; the job's dashboard shows no failure for them.`,
  },
  'invalid-record-data': {
    reporter: 'Customer service',
    text: (examples) => `Order ${examples[0]} shows "shipping failed" in the shop; the customer says the address is right.`,
  },
};

export function exampleOrders(run: IncidentRun, incident: PlannedIncident): string[] {
  return incident.examples.map((position) => run.world.tonight[(incident.wave - 1) * WAVE_SIZE + position - 1]!.orderId);
}

/** TICKET.md of the handout: the business context of this night and the symptom timeline. */
export function renderTicket(run: IncidentRun): string {
  const { plan, job } = run;
  const booked = job.outcomes.filter((outcome) => outcome.result === 'booked').length;
  const failed = job.outcomes.filter((outcome) => !['booked', 'skipped', 'cancelled'].includes(outcome.result)).length;
  const nightDate = new Date(plan.startsAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const rows = plan.incidents.map((incident, index) => {
    const minutes = plan.reportedAfterMinutes[index]!;
    const time = `${String(7 + Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    const waveTime = clockTime(plan.startsAt + (incident.wave - 1) * WAVE_INTERVAL_MS).slice(0, 5);
    const symptom = SYMPTOMS[incident.kind];
    return `| ${time} | ${ticketId(index)} | ${symptom.reporter} | ${symptom.text(exampleOrders(run, incident), waveTime)} |`;
  });
  return `# OPS-${2000 + (plan.seed % 7000)} · Missing and doubled carrier labels after the night of ${nightDate}

**Type:** incident · **Priority:** P2 · **Component:** order-to-shipment job (scheduler, order-sync,
partner-gateway) · **Assignee:** you, integration support (seed ${plan.seed})

The nightly run \`${job.runId}\` started at ${clockTime(job.startedAt)} UTC and, by its own account, finished at
${clockTime(job.endedAt)} with ${booked} orders booked and ${failed} failed (the scheduler's last line). The export
held ${run.world.tonight.length} orders in ${Math.ceil(run.world.tonight.length / WAVE_SIZE)} waves. Since the warehouse opened, this came in:

| reported | id | from | symptom |
|---|---|---|---|
${rows.join('\n')}

The examples are what people noticed, not a list: find every order each problem touched.

## What you have

| file | what it is |
|---|---|
| \`logs/scheduler.jsonl\`, \`logs/order-sync.jsonl\`, \`logs/partner-gateway.jsonl\` | the job's logs of the night, one JSON object per line, times in UTC |
| \`state/export.json\` | the warehouse's export of the night, in wave order (addresses left out of this copy) |
| \`state/carrier-bookings.json\` | every booking the carrier holds this morning, by shipment id and reference |
| \`job.yaml\` | the configuration the job ran with |

## Known facts

- The carrier's contract: at most 2 booking calls per second per API key (bursts of 2), 429 with
  \`Retry-After\` above that; a reference is booked once (a second booking of it answers 409 with
  the existing shipment); rule violations answer 422 with a \`reason\` per broken rule.
- The ERP's access tokens live as long as the token answer's \`expires_in\` says.
- Nobody has touched the job, its configuration or the carrier's bookings since the run.
`;
}
