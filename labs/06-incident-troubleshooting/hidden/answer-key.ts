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
  /** Correlation ids whose flows show the cause (for an expired token, also the flows it was issued in). */
  flows: string[];
  /** Lines (`file:line`) of those flows that prove the cause. */
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

/** Whether a line of a flow of the incident proves its cause. */
function proves(kind: IncidentKind, line: LogLine, affectedIds: Set<string>): boolean {
  const { data, event } = line;
  switch (kind) {
    case 'expired-credential':
      return data.status === 401;
    case 'rate-limit-exceeded':
      return data.status === 429;
    case 'partner-server-error':
      return typeof data.status === 'number' && data.status >= 500;
    case 'partner-timeout':
      return data.error === 'timeout';
    case 'duplicate-after-lost-response':
      return data.error === 'connection-error' || (event === 'booking.attempt' && data.status === 201 && data.reference !== data.orderId);
    case 'batch-aborted-after-error':
      return event === 'wave.aborted';
    case 'invalid-record-data':
      return data.status === 422 && affectedIds.has(String(data.orderId));
  }
}

export function groundTruth(run: IncidentRun): Truth {
  const lines = logLines(run.logs);
  const incidents = run.plan.incidents.map((planned, index): TruthIncident => {
    const kind = planned.kind;
    const outcomes = affectedBy(kind, run);
    if (outcomes.length === 0) throw new Error(`seed ${run.seed}: the ${kind} incident touched no order; the plan and the job disagree`);
    const affected = outcomes.map((outcome) => outcome.orderId).sort();
    const flows = new Set(outcomes.flatMap((outcome) => (outcome.correlationId ? [outcome.correlationId] : [])));
    if (kind === 'batch-aborted-after-error') {
      for (const line of lines.filter((candidate) => candidate.event === 'wave.aborted')) {
        flows.add(line.correlationId);
        const trigger = run.job.outcomes.find((outcome) => outcome.orderId === line.data.afterOrder);
        if (trigger?.correlationId) flows.add(trigger.correlationId);
      }
    }
    const affectedIds = new Set(affected);
    const proving = lines.filter((line) => flows.has(line.correlationId) && proves(kind, line, affectedIds)).map((line) => line.ref);
    if (proving.length === 0) throw new Error(`seed ${run.seed}: no log line proves the ${kind} incident`);
    // When the token was issued and for how long is half of the proof of an expired one.
    const tokenLife = kind === 'expired-credential' ? lines.filter((line) => line.event.startsWith('token.')) : [];
    const citable = lines.filter((line) => flows.has(line.correlationId) || tokenLife.includes(line)).map((line) => line.ref);
    for (const line of tokenLife) flows.add(line.correlationId);
    return { ticket: ticketId(index), category: kind, affected, flows: [...flows].sort(), proving, citable, ...ACCEPTED[kind] };
  });
  const leaks = lines.filter((line) => line.event === 'token.cached' || line.event === 'booking.unanswered').map((line) => line.ref);
  const replay = [...new Set(incidents.filter((incident) => REPLAYABLE.includes(incident.category)).flatMap((incident) => incident.affected))].sort();
  const refused = incidents.filter((incident) => incident.category === 'invalid-record-data').flatMap((incident) => incident.affected).sort();
  return { incidents, leaks, replay, refused };
}
