// The hidden checks of this lab: they run in `lab grade` only, and `lab pack` leaves this
// folder out of a candidate's bundle. The loader appends them to the scenario's public checks.
// They judge the diagnosis against the answer key of the night, and the replay list.
import { defineChecks, type CheckOutcome } from '../../../grader/checks/scenario.ts';
import type { Diagnosis } from '../grading/answer-files.ts';
import type { LabRun } from '../grading/lab-run.ts';
import { withRehearsal } from '../grading/public-checks.ts';
import { logLines } from '../incident/logs.ts';
import { bookingsFor, type Night } from '../incident/night.ts';
import { groundTruth, isLeak } from './answer-key.ts';
import { asIncidentRun } from './incident-run.ts';
import { mean, pair, scoreAffected, scoreCategory, scoreEvidence, scoreSteps, type Scored } from './score-diagnosis.ts';

const UNREADABLE: CheckOutcome = {
  passed: false,
  expected: 'a diagnosis.yaml that follows the schema',
  actual: 'diagnosis.yaml could not be read (see "diagnosis.yaml follows the documented schema")',
  hint: 'Fix the file first; every answer in it is graded once it reads.',
};

/** One check over every incident of the ticket: points in proportion to the mean share, one note per wrong item. */
function perIncident(points: number, outputs: LabRun, what: string, score: (diagnosis: Diagnosis) => Scored[], hint: string): CheckOutcome {
  if (!outputs.diagnosis.ok) return UNREADABLE;
  const scored = score(outputs.diagnosis.value);
  const share = mean(scored);
  if (share === 1) return { passed: true, actual: `right for all ${scored.length} incidents` };
  const wrong = scored.filter((item) => item.share < 1);
  return {
    passed: false,
    score: points * share,
    expected: `${what}, for each of the ${scored.length} incidents of the ticket`,
    actual: `${scored.length - wrong.length} of ${scored.length} fully right; ${wrong.map((item) => item.note).join('; ')}`,
    hint,
  };
}

export default defineChecks<Night, LabRun>([
  {
    id: 'root-cause-categories',
    title: 'Each incident has the root-cause category its evidence shows',
    points: 12,
    visibility: 'hidden',
    targets: 'root cause from evidence, not guesses',
    task: 1,
    run({ outputs }) {
      const truth = groundTruth(asIncidentRun(outputs.incident));
      return perIncident(12, outputs, 'the category of the taxonomy that the log lines of the affected orders prove', (diagnosis) => pair(truth.incidents, diagnosis.incidents).map(({ truth: incident, answer }) => scoreCategory(incident, answer)), 'A status code alone rarely names the cause: follow one affected order\'s correlation id through order-sync and partner-gateway and read what happened around it.');
    },
  },
  {
    id: 'evidence-proves-cause',
    title: 'The evidence names the flows of the incident and a log line that proves the cause',
    points: 12,
    visibility: 'hidden',
    targets: 'troubleshooting with logs and correlation ids',
    task: 1,
    run({ outputs }) {
      const truth = groundTruth(asIncidentRun(outputs.incident));
      return perIncident(12, outputs, 'correlation ids of flows the cause hit, and the line where the cause shows: the answer or event that went wrong (40 % ids, 60 % lines)', (diagnosis) => pair(truth.incidents, diagnosis.incidents).map(({ truth: incident, answer }) => scoreEvidence(incident, answer)), 'Evidence is what you would paste into an escalation: the correlation id of an order the problem hit, and the line with the answer or event that went wrong.');
    },
  },
  {
    id: 'affected-records',
    title: 'Each incident lists every order it lost or doubled, and no other',
    points: 10,
    visibility: 'hidden',
    targets: 'scoping an incident',
    task: 1,
    run({ outputs }) {
      const truth = groundTruth(asIncidentRun(outputs.incident));
      return perIncident(10, outputs, 'every order of the export the cause lost or doubled (graded as the overlap of the sets)', (diagnosis) => pair(truth.incidents, diagnosis.incidents).map(({ truth: incident, answer }) => scoreAffected(incident, answer)), 'The ticket names examples. Reconcile the export with the carrier\'s bookings, then attribute each order that is missing or doubled to the cause its own lines show.');
    },
  },
  {
    id: 'next-steps-and-mitigations',
    title: 'Each incident has a next step that tests its cause and a mitigation that removes it',
    points: 8,
    visibility: 'hidden',
    targets: 'evidence-based next steps, not restarts',
    task: 1,
    run({ outputs }) {
      const truth = groundTruth(asIncidentRun(outputs.incident));
      return perIncident(8, outputs, 'a next diagnostic step and a mitigation from the brief\'s lists that fit the cause', (diagnosis) => pair(truth.incidents, diagnosis.incidents).map(({ truth: incident, answer }) => scoreSteps(incident, answer)), 'The next step confirms or rules out the cause you named; the mitigation is the change that stops it from happening again.');
    },
  },
  {
    id: 'leaked-log-line',
    title: 'The line the job should never have written is named',
    points: 5,
    visibility: 'hidden',
    targets: 'logging sensitive data',
    task: 2,
    run({ outputs }) {
      if (!outputs.diagnosis.ok) return UNREADABLE;
      const { leaks } = groundTruth(asIncidentRun(outputs.incident));
      const named = outputs.diagnosis.value.leakedLine;
      if (named !== undefined && leaks.includes(named)) return { passed: true };
      return {
        passed: false,
        expected: 'the reference of a line that holds part of a credential or of a customer\'s personal data',
        actual: named === undefined ? 'no line named' : `${named} holds neither`,
        hint: 'Masking part of a value does not make it safe to log: look for a value that belongs to a credential or to a customer, even with stars in it.',
      };
    },
  },
  {
    id: 'change-stops-the-leak',
    title: 'With the change, the job writes no line the logging standard forbids',
    points: 3,
    visibility: 'hidden',
    targets: 'logging sensitive data',
    task: 3,
    run({ outputs }) {
      return withRehearsal(outputs, ({ logs }) => {
        const leaks = logs.flatMap((run) => logLines(run)).filter(isLeak);
        if (leaks.length === 0) return { passed: true, actual: 'no line of the rehearsal holds a piece of a credential or a customer\'s data' };
        return {
          passed: false,
          expected: 'no line in the rehearsal\'s logs with a piece of a credential or a customer\'s data, masked or not',
          actual: `the job wrote ${leaks.length} such line(s) in the rehearsal's replay and next night`,
          hint: 'The change the board approves must not go on breaking the logging standard until the next release. Which of the job\'s lines are written only because of a setting?',
        };
      });
    },
  },
  {
    id: 'replay-restores-missing',
    title: 'After the replay, every order the night lost and a replay can cure is booked',
    points: 8,
    visibility: 'hidden',
    targets: 'recovering lost records',
    task: 3,
    run({ outputs }) {
      const { replay } = groundTruth(asIncidentRun(outputs.incident));
      return withRehearsal(outputs, ({ bookingsAfter, replayed }) => {
        const restored = replay.filter((orderId) => bookingsFor(bookingsAfter, orderId).length > 0);
        if (restored.length === replay.length) return { passed: true, actual: `all ${replay.length} lost orders booked` };
        const notNamed = replay.filter((orderId) => !replayed.includes(orderId)).length;
        return {
          passed: false,
          score: (8 * restored.length) / replay.length,
          expected: `the ${replay.length} orders that never reached the carrier for a reason a replay cures are booked after it`,
          actual: `${restored.length} of ${replay.length} booked; ${notNamed} of the missing ones were not in the replay list${notNamed < replay.length - restored.length ? ', and some that were did not get through' : ''}`,
          hint: 'Reconcile the export with the carrier\'s bookings: every order missing because of the moment (not because of its data) needs replaying, once the job is fixed.',
        };
      });
    },
  },
  {
    id: 'replay-only-what-is-missing',
    title: 'The replay names only orders that are missing and can be booked',
    points: 4,
    visibility: 'hidden',
    targets: 'replaying with deduplication controls',
    task: 3,
    run({ outputs }) {
      if (!outputs.mitigation.ok) return { passed: false, expected: 'a replay list to judge', actual: 'mitigation.yaml could not be read', hint: 'Fix mitigation.yaml first.' };
      const { replay, refused } = groundTruth(asIncidentRun(outputs.incident));
      const asked = outputs.mitigation.value.replay;
      if (asked.length === 0) {
        return {
          passed: false,
          score: 0,
          expected: `a replay list of orders that are missing and that the carrier will take (the night lost ${replay.length} such order(s))`,
          actual: 'no order of the night\'s export in the replay list: it names no missing order, so it earns nothing here',
          hint: 'Reconcile the export with the carrier\'s bookings: which orders never arrived, and which of them will get through this time?',
        };
      }
      const booked = asked.filter((orderId) => bookingsFor(outputs.incident.bookings, orderId).length > 0);
      const refusedAsked = asked.filter((orderId) => refused.includes(orderId));
      const other = asked.filter((orderId) => !replay.includes(orderId) && !booked.includes(orderId) && !refusedAsked.includes(orderId));
      const wrong = booked.length + refusedAsked.length + other.length;
      if (wrong === 0) return { passed: true, actual: `all ${asked.length} replayed orders were missing` };
      return {
        passed: false,
        score: (4 * (asked.length - wrong)) / asked.length,
        expected: 'a replay list without orders the carrier already holds and without orders it refuses for their data',
        actual: [
          booked.length > 0 ? `${booked.length} order(s) the carrier already held (e.g. ${booked[0]}, as ${bookingsFor(outputs.incident.bookings, booked[0]!).map((booking) => booking.reference).join(', ')})` : undefined,
          refusedAsked.length > 0 ? `${refusedAsked.length} order(s) the carrier refuses as they are` : undefined,
          other.length > 0 ? `${other.length} other order(s)` : undefined,
        ].filter(Boolean).join('; '),
        hint: 'A replay is a production change: each order in it should be one you can show never arrived, and one that will get through this time. A duplicate check on the far side is a safety net, not a replay strategy.',
      };
    },
  },
]);

