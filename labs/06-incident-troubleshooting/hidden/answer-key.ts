// The answer key: what each incident of a night is, in the terms of the brief's lists, and
// which log lines prove it. Hidden: `lab pack` leaves it out of a candidate's bundle.
import type { Mitigation, NextStep } from '../grading/lists.ts';
import type { OrderOutcome } from '../job/order-sync.ts';
import { logLines, type LogLine } from '../incident/logs.ts';
import { bookingsFor, ticketId } from '../incident/night.ts';
import type { IncidentRun } from './incident-run.ts';
import type { IncidentKind } from './kinds.ts';

export interface TruthIncident {
  ticket: string;
  category: IncidentKind;
  /** Every order the cause lost or doubled, sorted. */
  affected: string[];
  /** Correlation ids of the flows the cause hit: the orders it lost or doubled, and a wave it stopped. */
  hit: string[];
  /**
   * Correlation ids that may be cited: the flows it hit, and the flows of its context (the
   * waves of the orders it hit; for an expired token the flow it was issued in, for a stopped
   * wave the order that stopped it).
   */
  flows: string[];
  /** Lines (`file:line`) of the flows it hit that prove the cause: the answer or event that went wrong. */
  proving: string[];
  /** Lines that may be cited beside the proof without cost: the flows' own, and for a token the lines of its life. */
  citable: string[];
  nextSteps: NextStep[];
  mitigations: Mitigation[];
}

export interface Truth {
  incidents: TruthIncident[];
  /** Lines that hold what must never be logged (any one of them answers the question). */
  leaks: string[];
  /** The orders a replay should name: lost by a cause a replay cures. */
  replay: string[];
  /** Orders the carrier refuses as they are: replaying them fails again. */
  refused: string[];
}

const ACCEPTED: Record<IncidentKind, { nextSteps: NextStep[]; mitigations: Mitigation[] }> = {
  'expired-credential': { nextSteps: ['check-token-lifetime'], mitigations: ['refresh-token-before-expiry'] },
  'rate-limit-exceeded': { nextSteps: ['compare-request-rate-with-limit'], mitigations: ['throttle-and-honour-retry-after'] },
  'partner-server-error': { nextSteps: ['escalate-to-partner-with-evidence'], mitigations: ['retry-with-backoff'] },
  'partner-timeout': { nextSteps: ['escalate-to-partner-with-evidence', 'look-up-booking-by-reference'], mitigations: ['retry-timeouts'] },
  'duplicate-after-lost-response': { nextSteps: ['look-up-booking-by-reference'], mitigations: ['keep-reference-on-retry'] },
  'batch-aborted-after-error': { nextSteps: ['reconcile-export-with-bookings'], mitigations: ['continue-after-record-error'] },
  'invalid-record-data': { nextSteps: ['check-record-against-partner-rules'], mitigations: ['correct-source-data'] },
};

/** The kinds a replay cures: the order never reached the carrier, and nothing about it is wrong. */
const REPLAYABLE: readonly IncidentKind[] = ['expired-credential', 'rate-limit-exceeded', 'partner-server-error', 'partner-timeout', 'batch-aborted-after-error'];

/** Which orders each kind of cause touched, read from what the job did and what the carrier holds. */
function affectedBy(kind: IncidentKind, run: IncidentRun): OrderOutcome[] {
  const failed = run.job.outcomes.filter((outcome) => outcome.result === 'failed');
  switch (kind) {
    case 'expired-credential':
      return failed.filter((outcome) => outcome.erpStatus === 401);
    case 'rate-limit-exceeded':
      return failed.filter((outcome) => outcome.lastStatus === 429);
    case 'partner-server-error':
      return failed.filter((outcome) => outcome.lastStatus !== undefined && outcome.lastStatus >= 500);
    case 'partner-timeout':
      return failed.filter((outcome) => outcome.lastError === 'timeout');
    case 'duplicate-after-lost-response':
      return run.job.outcomes.filter((outcome) => bookingsFor(run.bookings, outcome.orderId).length > 1);
    case 'batch-aborted-after-error':
      return run.job.outcomes.filter((outcome) => outcome.result === 'skipped');
    case 'invalid-record-data':
      return run.job.outcomes.filter((outcome) => outcome.result === 'rejected');
  }
}

/**
 * Whether a line of a flow the incident hit proves its cause: the answer that went wrong, as the
 * component that got it logged it, or the event that went wrong. A component's summary after
 * the fact (order-sync's `order.failed`, partner-gateway's `booking.failed`) repeats the last
 * status but not what happened: it may be cited beside the proof, never as the proof.
 */
function proves(kind: IncidentKind, line: LogLine, affectedIds: Set<string>): boolean {
  const { data, event } = line;
  const booking = event === 'booking.attempt';
  switch (kind) {
    case 'expired-credential':
      return (event === 'erp.order.failed' || event === 'erp.token.rejected') && data.status === 401;
    case 'rate-limit-exceeded':
      return booking && data.status === 429;
    case 'partner-server-error':
      return booking && typeof data.status === 'number' && data.status >= 500;
    case 'partner-timeout':
      return booking && data.error === 'timeout';
    case 'duplicate-after-lost-response':
      return booking && (data.error === 'connection-error' || (data.status === 201 && data.reference !== data.orderId));
    case 'batch-aborted-after-error':
      return event === 'wave.aborted';
    case 'invalid-record-data':
      return booking && data.status === 422 && affectedIds.has(String(data.orderId));
  }
}

/** The lines the logging standard forbids: a piece of a credential, a customer's data however masked. */
export function isLeak(line: LogLine): boolean {
  return line.event === 'token.cached' || line.event === 'booking.unanswered';
}

export function groundTruth(run: IncidentRun): Truth {
  const lines = logLines(run.logs);
  const incidents = run.plan.incidents.map((planned, index): TruthIncident => {
    const kind = planned.kind;
    const outcomes = affectedBy(kind, run);
    if (outcomes.length === 0) throw new Error(`seed ${run.seed}: the ${kind} incident touched no order; the plan and the job disagree`);
    const affected = outcomes.map((outcome) => outcome.orderId).sort();
    const hit = new Set(outcomes.flatMap((outcome) => (outcome.correlationId ? [outcome.correlationId] : [])));
    const context = new Set<string>();
    if (kind === 'batch-aborted-after-error') {
      for (const line of lines.filter((candidate) => candidate.event === 'wave.aborted')) {
        hit.add(line.correlationId);
        const trigger = run.job.outcomes.find((outcome) => outcome.orderId === line.data.afterOrder);
        if (trigger?.correlationId) context.add(trigger.correlationId);
      }
    }
    // The wave of an order it hit: where an investigator starts reading, so naming it costs nothing.
    for (const line of lines.filter((candidate) => candidate.event === 'order.started' && hit.has(candidate.correlationId) && typeof candidate.data.batchId === 'string')) {
      context.add(String(line.data.batchId));
    }
    const affectedIds = new Set(affected);
    const proving = lines.filter((line) => hit.has(line.correlationId) && proves(kind, line, affectedIds)).map((line) => line.ref);
    if (proving.length === 0) throw new Error(`seed ${run.seed}: no log line proves the ${kind} incident`);
    // When the token was issued and for how long is half of the proof of an expired one.
    const tokenLife = kind === 'expired-credential' ? lines.filter((line) => line.event.startsWith('token.')) : [];
    for (const line of tokenLife) context.add(line.correlationId);
    const flows = new Set([...hit, ...context]);
    const citable = lines.filter((line) => flows.has(line.correlationId) || tokenLife.includes(line)).map((line) => line.ref);
    return { ticket: ticketId(index), category: kind, affected, hit: [...hit].sort(), flows: [...flows].sort(), proving, citable, ...ACCEPTED[kind] };
  });
  const leaks = lines.filter(isLeak).map((line) => line.ref);
  const replay = [...new Set(incidents.filter((incident) => REPLAYABLE.includes(incident.category)).flatMap((incident) => incident.affected))].sort();
  const refused = incidents.filter((incident) => incident.category === 'invalid-record-data').flatMap((incident) => incident.affected).sort();
  return { incidents, leaks, replay, refused };
}
