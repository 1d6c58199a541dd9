// Scoring of a diagnosis against the answer key, item by item, with a hint per wrong item
// that says where to look, never what the answer is. Hidden, with the key.
import type { IncidentAnswer } from '../grading/answer-files.ts';
import type { TruthIncident } from './answer-key.ts';
import type { IncidentKind } from './kinds.ts';

export interface Scored {
  truth: TruthIncident;
  answer?: IncidentAnswer;
  /** 0..1 */
  share: number;
  /** Why it is not 1, for the check's actual and hint. */
  note?: string;
}

/** Where to look to tell this cause from the others, without naming it. */
const WHERE_TO_LOOK: Record<IncidentKind, string> = {
  'expired-credential': 'which system refused first, with which status, and how long after the job got its token',
  'rate-limit-exceeded': 'what the carrier answered in that wave, and how soon the job came back after each answer',
  'partner-server-error': 'what the carrier answered to each attempt, and how many attempts the job made',
  'partner-timeout': 'what the last attempt got back: an answer, or none, and what the job did then',
  'duplicate-after-lost-response': 'the references the carrier holds for that order against the attempts the job made',
  'batch-aborted-after-error': 'what the scheduler says about that wave, and which of its orders have any line at all',
  'invalid-record-data': 'whether the carrier\'s answer for that order is about the moment or about the order itself',
};

export function pair(truth: TruthIncident[], answers: IncidentAnswer[]): Array<{ truth: TruthIncident; answer?: IncidentAnswer }> {
  return truth.map((incident) => {
    const answer = answers.find((candidate) => candidate.ticket === incident.ticket);
    return { truth: incident, ...(answer ? { answer } : {}) };
  });
}

export function scoreCategory(truth: TruthIncident, answer: IncidentAnswer | undefined): Scored {
  if (!answer) return { truth, share: 0, note: `${truth.ticket}: not answered` };
  if (answer.category === truth.category) return { truth, answer, share: 1 };
  return { truth, answer, share: 0, note: `${truth.ticket}: "${answer.category}" does not fit the flows; look at ${WHERE_TO_LOOK[truth.category]}` };
}

/**
 * Evidence: the correlation ids must include a flow the cause hit (an order it lost or doubled,
 * a wave it stopped), and may add the flows of its context (the flow an expired token was
 * issued in, the order that stopped a wave, the wave of an order it hit); their share counts 40 %. The lines must include
 * one that proves the cause — the answer or event that went wrong, not an order starting nor a
 * component's summary that it failed — with no line unrelated to it (60 %).
 */
export function scoreEvidence(truth: TruthIncident, answer: IncidentAnswer | undefined): Scored {
  if (!answer) return { truth, share: 0, note: `${truth.ticket}: not answered` };
  const flows = new Set(truth.flows);
  const { correlationIds, lines } = answer.evidence;
  const hitOne = correlationIds.some((id) => truth.hit.includes(id));
  const related = correlationIds.filter((id) => flows.has(id)).length;
  const idShare = correlationIds.length === 0 || !hitOne ? 0 : related / correlationIds.length;
  const proving = lines.some((ref) => truth.proving.includes(ref));
  const lineShare = lines.length === 0 || !proving ? 0 : lines.filter((ref) => truth.citable.includes(ref)).length / lines.length;
  const share = 0.4 * idShare + 0.6 * lineShare;
  if (share === 1) return { truth, answer, share };
  const notes = [
    correlationIds.length === 0
      ? 'no correlation id the logs hold'
      : related > 0 && !hitOne
        ? 'none of the correlation ids is of a flow the cause hit (an order it lost or doubled, or a wave it stopped); a flow that only gives context, such as the one a token was fetched in, does not count alone'
        : idShare < 1
          ? `${correlationIds.length - related} of ${correlationIds.length} correlation id(s) belong to flows this cause did not touch`
          : undefined,
    !proving
      ? 'no cited line shows the cause itself: that is the answer or event that went wrong, not an order starting or being handed on, nor a summary that it failed or was given up on'
      : lineShare < 1
        ? 'some cited lines belong to other flows'
        : undefined,
  ].filter(Boolean);
  return { truth, answer, share, note: `${truth.ticket}: ${notes.join('; ')}` };
}

/** Affected records: the overlap of the sets (Jaccard), so missing and extra orders both cost. */
export function scoreAffected(truth: TruthIncident, answer: IncidentAnswer | undefined): Scored {
  if (!answer) return { truth, share: 0, note: `${truth.ticket}: not answered` };
  const expected = new Set(truth.affected);
  const given = new Set(answer.affectedRecords);
  const right = [...given].filter((orderId) => expected.has(orderId)).length;
  const share = right / new Set([...expected, ...given]).size;
  if (share === 1) return { truth, answer, share };
  const missing = expected.size - right;
  const extra = given.size - right;
  return {
    truth,
    answer,
    share,
    note: `${truth.ticket}: ${[missing > 0 ? `${missing} order(s) it touched are missing` : undefined, extra > 0 ? `${extra} listed order(s) it did not touch` : undefined].filter(Boolean).join(', ')}`,
  };
}

export function scoreSteps(truth: TruthIncident, answer: IncidentAnswer | undefined): Scored {
  if (!answer) return { truth, share: 0, note: `${truth.ticket}: not answered` };
  const step = truth.nextSteps.includes(answer.nextStep);
  const mitigation = truth.mitigations.includes(answer.mitigation);
  const share = (step ? 0.5 : 0) + (mitigation ? 0.5 : 0);
  if (share === 1) return { truth, answer, share };
  return {
    truth,
    answer,
    share,
    note: `${truth.ticket}: ${[!step ? `"${answer.nextStep}" would not confirm or rule out the cause` : undefined, !mitigation ? `"${answer.mitigation}" would not stop it happening again` : undefined].filter(Boolean).join('; ')}`,
  };
}

export function mean(scored: Scored[]): number {
  return scored.length === 0 ? 1 : scored.reduce((total, item) => total + item.share, 0) / scored.length;
}
