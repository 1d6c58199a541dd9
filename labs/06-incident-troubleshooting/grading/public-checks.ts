import type { Check, CheckOutcome } from '../../../grader/checks/scenario.ts';
import type { Night } from '../incident/night.ts';
import { CARRIER_RATE_LIMIT, type CompletedRehearsal } from '../incident/rehearsal.ts';
import type { LabRun } from './lab-run.ts';
import { doubledByRehearsal, earlyRetries, whyNotBooked } from './rehearsal-evidence.ts';

/** A rehearsal that spends a couple of 429s finding the limit is not a storm; more is. */
export const MAX_429_IN_REHEARSAL = 2;

/**
 * Part 2's checks need a finished rehearsal: without a readable mitigation.yaml there is none,
 * and a configuration the job cannot finish a night with fails every one of them, saying why.
 */
export function withRehearsal(outputs: LabRun, judge: (rehearsal: CompletedRehearsal) => CheckOutcome): CheckOutcome {
  if (!outputs.rehearsal) {
    return {
      passed: false,
      expected: 'a mitigation.yaml the job can run with',
      actual: `no rehearsal: ${outputs.mitigation.problems.slice(0, 3).join('; ')}`,
      hint: 'Fix mitigation.yaml first (the check "mitigation.yaml follows the documented schema" lists every mistake).',
    };
  }
  if (!outputs.rehearsal.completed) {
    return {
      passed: false,
      expected: 'a configuration the job finishes the replay and the next night with',
      actual: `the rehearsal stopped: ${outputs.rehearsal.reason}`,
      hint: 'A change the job cannot finish a night with is rejected whatever else it fixes. How long can one order take with these settings, and forty of them?',
    };
  }
  return judge(outputs.rehearsal);
}

const nightOf = (incident: Night, from: LabRun['seedFrom']) =>
  from === 'run' ? `diagnosis.yaml names no seed, so the night of this run's seed (${incident.seed}) was used` : `the night of seed ${incident.seed}`;

/** The checks `lab check` runs: the two files are right, and the change survives the rehearsal. */
export const PUBLIC_CHECKS: Check<Night, LabRun>[] = [
  {
    id: 'diagnosis-file-valid',
    title: 'diagnosis.yaml follows the documented schema, answers every incident of the ticket and points at lines that exist',
    points: 5,
    visibility: 'public',
    targets: 'a diagnosis others can act on',
    task: 1,
    run({ outputs }) {
      const { diagnosis, incident, seedFrom } = outputs;
      if (!diagnosis.ok) {
        return { passed: false, expected: 'a diagnosis.yaml that follows the schema in the brief', actual: diagnosis.problems.slice(0, 8).join('; '), hint: 'Each incident needs ticket, category, evidence (correlationIds and lines), affectedRecords, nextStep and mitigation; the file needs the seed the handout wrote. Fix every line listed at once.' };
      }
      if (diagnosis.problems.length === 0) return { passed: true, actual: `every incident answered, every reference found in ${nightOf(incident, seedFrom)}` };
      return {
        passed: false,
        score: (5 * (diagnosis.items - diagnosis.wrongItems)) / diagnosis.items,
        expected: `one answer per incident of the ticket and a leaked line, every reference found in ${nightOf(incident, seedFrom)}`,
        actual: `${diagnosis.wrongItems} of ${diagnosis.items} item(s) with a mistake: ${diagnosis.problems.slice(0, 6).join('; ')}`,
        hint: 'Line references are <log file>:<line> as an editor counts lines (from 1); correlation ids and order ids are copied from the handout.',
      };
    },
  },
  {
    id: 'mitigation-file-valid',
    title: 'mitigation.yaml follows the documented schema and replays orders of the night',
    points: 5,
    visibility: 'public',
    targets: 'a change the board can approve',
    task: 3,
    run({ outputs: { mitigation } }) {
      if (!mitigation.ok) {
        return { passed: false, expected: 'a mitigation.yaml with the job\'s whole configuration and a replay list, as the brief documents', actual: mitigation.problems.slice(0, 8).join('; '), hint: 'Start from the configuration the handout wrote into mitigation.yaml and change values; every field stays. Fix every line listed at once.' };
      }
      if (mitigation.problems.length === 0) return { passed: true };
      return {
        passed: false,
        score: (5 * (mitigation.items - mitigation.wrongItems)) / mitigation.items,
        expected: 'a configuration the schema accepts and a replay list of orders from the night\'s export',
        actual: mitigation.problems.slice(0, 6).join('; '),
        hint: 'Replay only orders of state/export.json.',
      };
    },
  },
  {
    id: 'no-429-storm',
    title: 'The changed job stays under the carrier\'s rate limit and waits as long as Retry-After asks',
    points: 8,
    visibility: 'public',
    targets: 'retry storms and rate limits',
    task: 3,
    run({ outputs }) {
      return withRehearsal(outputs, ({ bookingCalls }) => {
        const early = earlyRetries(bookingCalls);
        const refused = bookingCalls.filter((call) => call.status === 429).length;
        if (early.length === 0 && refused <= MAX_429_IN_REHEARSAL) return { passed: true, actual: `every Retry-After waited out, at most ${MAX_429_IN_REHEARSAL} answers 429` };
        const first = early[0];
        return {
          passed: false,
          score: early.length === 0 ? 4 : 0,
          expected: `at most ${MAX_429_IN_REHEARSAL} answers 429 in the rehearsal (the carrier allows ${CARRIER_RATE_LIMIT.perSecond} calls per second, bursts of ${CARRIER_RATE_LIMIT.burst}), and no call for an order sooner than a 429 or 503 with Retry-After asked`,
          actual: [
            `${refused} of ${bookingCalls.length} booking calls answered 429`,
            first ? `${early.length} retry(ies) came back early, e.g. ${first.orderId} ${first.cameBackAfterMs} ms after a ${first.status} that asked for ${first.askedSeconds} s` : undefined,
          ].filter(Boolean).join('; '),
          hint: 'A partner that throttles you counts every call, retries included. What pace does the contract allow, and what does the answer to a throttled call tell you to do?',
        };
      });
    },
  },
  {
    id: 'token-refreshed',
    title: 'The changed job gets a new ERP token before the old one expires',
    points: 6,
    visibility: 'public',
    targets: 'OAuth2 token lifetime',
    task: 3,
    run({ outputs }) {
      return withRehearsal(outputs, ({ erpRefusals, nextNightOutcomes }) => {
        if (erpRefusals.length === 0) return { passed: true, actual: 'no ERP call refused with 401 in the rehearsal' };
        const lost = nextNightOutcomes.filter((outcome) => outcome.erpStatus === 401).length;
        const title = (erpRefusals[0]!.responseBody as { title?: unknown } | undefined)?.title;
        return {
          passed: false,
          expected: 'no ERP call refused with 401: the next night\'s run lasts longer than a token lives',
          actual: `${erpRefusals.length} ERP call(s) refused with 401${typeof title === 'string' ? ` (${title})` : ''}; ${lost} order(s) of the next night not synced because of it`,
          hint: 'A token is valid for expires_in seconds from when it was issued. When should a long-running job get a new one?',
        };
      });
    },
  },
  {
    id: 'no-duplicates-created',
    title: 'The rehearsal books no order twice',
    points: 8,
    visibility: 'public',
    targets: 'duplicates after an ambiguous failure',
    task: 3,
    run({ outputs }) {
      return withRehearsal(outputs, ({ bookingsBefore, bookingsAfter }) => {
        const orderIds = [...outputs.incident.world.tonight, ...outputs.incident.world.nextNight].map((order) => order.orderId);
        const doubled = doubledByRehearsal(orderIds, bookingsBefore, bookingsAfter);
        if (doubled.length === 0) return { passed: true, actual: 'no order gained a second booking' };
        return {
          passed: false,
          expected: 'after the replay and the next night, no order the rehearsal touched holds more than one booking',
          actual: `${doubled.length} order(s) booked again, e.g. ${doubled[0]!.orderId} as ${doubled[0]!.references.join(' and ')}`,
          hint: 'A call that got no answer may have booked. What makes the carrier recognise a retry of the same order, and what does it answer then?',
        };
      });
    },
  },
  {
    id: 'next-night-books-everything',
    title: 'With the change, the next night\'s run books every order the carrier can take',
    points: 6,
    visibility: 'public',
    targets: 'transient failures that lose records',
    task: 3,
    run({ outputs }) {
      return withRehearsal(outputs, ({ nextNightOutcomes, nextNightRefused, bookingsAfter }) => {
        const bookable = outputs.incident.world.nextNight.map((order) => order.orderId).filter((orderId) => !nextNightRefused.includes(orderId));
        const missing = bookable.filter((orderId) => !bookingsAfter.some((booking) => booking.reference === orderId || booking.reference.startsWith(`${orderId}-`)));
        if (missing.length === 0) return { passed: true, actual: `all ${bookable.length} orders the carrier accepts are booked` };
        const example = missing[0]!;
        return {
          passed: false,
          score: (6 * (bookable.length - missing.length)) / bookable.length,
          expected: `${bookable.length} of the next night's ${outputs.incident.world.nextNight.length} orders booked (the carrier refuses ${nextNightRefused.length} for their data); the night meets 503s that clear on the third call, a call that never answers, a lost answer, a refused order and an expiring token`,
          actual: `${bookable.length - missing.length} booked; ${missing.length} missing, e.g. ${example}: ${whyNotBooked(nextNightOutcomes.find((outcome) => outcome.orderId === example))}`,
          hint: 'Which failures are about the moment and worth another try, how many tries does a bad minute need, and should one refused order hold up the others?',
        };
      });
    },
  },
];
