import type { Check } from '../../../grader/checks/scenario.ts';
import { POSTER_GROUP, TOPICS, type ReadRecord } from './broker.ts';
import {
  describeRun,
  fixedOf,
  goodOf,
  HEADERS,
  poisonOf,
  postedBefore,
  postedOnce,
  stillInvalidOf,
  where,
  writtenBefore,
  type Outputs,
  type Setup,
  type SourceMessage,
} from './model.ts';

type LabCheck = Check<Setup, Outputs>;

const share = (points: number, right: number, total: number) => (total === 0 ? 0 : Math.floor((points * Math.max(0, right)) / total));
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
const firstOf = (problems: string[]) => (problems.length > 0 ? `; e.g. ${problems[0]}` : '');

/** The header facts a parked copy of `message` must carry. */
function headerFacts(message: SourceMessage, attempt: number): Array<[string, string]> {
  return [
    [HEADERS.reason, message.kind],
    [HEADERS.topic, TOPICS.payments],
    [HEADERS.partition, String(message.partition)],
    [HEADERS.offset, message.offset],
    [HEADERS.timestamp, message.timestamp],
    [HEADERS.attempt, String(attempt)],
  ];
}

function headerProblems(record: ReadRecord, message: SourceMessage, attempt: number): string[] {
  return headerFacts(message, attempt).flatMap(([name, expected]) => {
    const actual = record.headers[name];
    if (actual === expected) return [];
    return [`${where(message)} (${message.kind}): ${name} ${actual === undefined ? 'is missing' : `is "${actual}"`}, expected "${expected}"`];
  });
}

/** What a check of the parked records says when they could not be read: nothing there can be credited. */
function unreadableRecords(reason: string) {
  return {
    passed: false,
    score: 0,
    expected: `records in ${TOPICS.dlq} and ${TOPICS.parked} that a Kafka client reads within a few seconds`,
    actual: reason,
    hint: 'The grader reads these topics with an ordinary Kafka client, within limits of time and memory. What did your code write there besides the parked messages?',
  };
}

const goodPaymentsPosted: LabCheck = {
  id: 'good-payments-posted',
  title: 'Good payments are posted to the ERP exactly once, in order per customer',
  points: 15,
  visibility: 'public',
  targets: 'duplicates and lost payments',
  task: 1,
  run({ setup, outputs }) {
    const goods = goodOf(setup);
    const problems: string[] = [];
    const posted = new Map<SourceMessage, ReturnType<typeof postedOnce>>();
    for (const message of goods) {
      const result = postedOnce(outputs.afterConsume.payments, message);
      posted.set(message, result);
      if (!result.ok) problems.push(result.problem!);
    }
    // Within a key the later payment must not overtake the earlier one.
    for (const [index, later] of goods.entries()) {
      const earlier = goods.slice(0, index).reverse().find((message) => message.key === later.key);
      const [a, b] = [earlier && posted.get(earlier)?.payment, posted.get(later)?.payment];
      if (a && b && !postedBefore(a, b)) {
        posted.set(later, { ok: false });
        problems.push(`payment ${later.paymentId} (${where(later)}) was posted before the earlier payment of the same customer`);
      }
    }
    const right = goods.filter((message) => posted.get(message)?.ok).length;
    return {
      passed: right === goods.length,
      score: share(15, right, goods.length),
      expected: `${goods.length} good payments each posted once after the first pass (one meets four 503s in a row, another a lost response)`,
      actual: `${right} of ${goods.length} posted exactly once${firstOf(problems)}`,
      hint: 'A 5xx or a lost response is not the message\'s fault, and a retry must not become a second payment. What makes a retried POST safe in this ERP?',
    };
  },
};

const partitionNotBlocked: LabCheck = {
  id: 'partition-not-blocked',
  title: 'Poison messages do not block their partition',
  points: 15,
  visibility: 'public',
  targets: 'poison messages blocking a partition',
  task: 1,
  run({ setup, outputs }) {
    const { lag, end } = outputs.firstPass;
    const stuck = lag.filter((partition) => partition.committed !== partition.end);
    const details = stuck.map((partition) => {
      const at = partition.committed ?? 0;
      const message = setup.messages.find((candidate) => candidate.partition === partition.partition && Number(candidate.offset) === at);
      return `partition ${partition.partition} committed ${partition.committed ?? 'nothing'} of ${partition.end}${message ? ` (stuck at a ${message.kind} message)` : ''}`;
    });
    const why = end === 'exited' ? `; the consumer ${describeRun(outputs.firstPass.consumer)} before it was stopped` : end === 'caught-up' ? '' : `; no progress (${end})`;
    // Credit by the share of messages the group got past: a partition stuck at its first message costs all of them.
    const total = lag.reduce((sum, partition) => sum + partition.end, 0);
    const done = lag.reduce((sum, partition) => sum + Math.min(partition.committed ?? 0, partition.end), 0);
    return {
      passed: lag.length > 0 && stuck.length === 0,
      score: share(15, done, total),
      expected: `group ${POSTER_GROUP} commits the end of every partition of ${TOPICS.payments} (lag 0) while it runs`,
      actual: stuck.length === 0 ? 'lag 0 on every partition' : `${details.join('; ')}${why}`,
      hint: 'What does kafkajs do with a message whose handler throws? A message that can never succeed as it is must leave the partition some other way.',
    };
  },
};

const poisonRoutedToDlq: LabCheck = {
  id: 'poison-routed-to-dlq',
  title: 'Every poison message is in payments.dlq once, key and value unchanged',
  points: 15,
  visibility: 'public',
  targets: 'silent failures',
  task: 1,
  run({ setup, outputs }) {
    if (outputs.recordsUnreadable) return unreadableRecords(outputs.recordsUnreadable);
    const poison = poisonOf(setup);
    const dlq = writtenBefore(outputs.records, TOPICS.dlq, outputs.afterConsume.dlqEnds);
    const problems: string[] = [];
    let right = 0;
    for (const message of poison) {
      const copies = dlq.filter((record) => record.value === message.value);
      if (copies.length === 0) problems.push(`the ${message.kind} message at ${where(message)} is not in ${TOPICS.dlq}`);
      else if (copies.length > 1) problems.push(`the ${message.kind} message at ${where(message)} is in ${TOPICS.dlq} ${copies.length} times`);
      else if (copies[0]!.key !== message.key) problems.push(`the ${message.kind} message at ${where(message)} lost its key in ${TOPICS.dlq}`);
      else right++;
    }
    const goodsParked = goodOf(setup).filter((message) => dlq.some((record) => record.value === message.value));
    for (const message of goodsParked) problems.push(`the good payment at ${where(message)} was parked in ${TOPICS.dlq}`);
    const unknown = dlq.filter((record) => !setup.messages.some((message) => message.value === record.value)).length;
    if (unknown > 0) problems.push(`${unknown} records in ${TOPICS.dlq} do not carry an original value unchanged`);
    const extras = [
      ...(goodsParked.length > 0 ? [`${count(goodsParked.length, 'good payment')} parked too`] : []),
      ...(unknown > 0 ? [count(unknown, 'other record')] : []),
    ];
    return {
      passed: right === poison.length && goodsParked.length === 0 && unknown === 0,
      score: share(15, right - goodsParked.length - unknown, poison.length),
      expected: `the ${poison.length} poison messages (schema-invalid, unknown currency, unknown customer) in ${TOPICS.dlq}, each once, with its original key and value; nothing else`,
      actual: `${right} of ${poison.length} poison messages parked once, unchanged${extras.length > 0 ? `, but ${extras.join(' and ')}` : ''}${firstOf(problems)}`,
      hint: 'Nothing may disappear: a message you cannot post still belongs somewhere a person (or a replay) can find it, byte for byte.',
    };
  },
};

const dlqHeaders: LabCheck = {
  id: 'dlq-headers',
  title: 'DLQ messages say why and where they came from',
  points: 15,
  visibility: 'public',
  targets: 'dead-letter handling',
  task: 2,
  run({ setup, outputs }) {
    if (outputs.recordsUnreadable) return unreadableRecords(outputs.recordsUnreadable);
    const poison = poisonOf(setup);
    const dlq = writtenBefore(outputs.records, TOPICS.dlq, outputs.afterConsume.dlqEnds);
    const problems: string[] = [];
    const facts = poison.length * headerFacts(poison[0]!, 1).length;
    let wrong = 0;
    for (const message of poison) {
      const record = dlq.find((candidate) => candidate.value === message.value);
      if (!record) {
        wrong += headerFacts(message, 1).length;
        problems.push(`${where(message)} (${message.kind}) is not in ${TOPICS.dlq}`);
        continue;
      }
      const found = headerProblems(record, message, 1);
      wrong += found.length;
      problems.push(...found);
    }
    return {
      passed: wrong === 0,
      score: share(15, facts - wrong, facts),
      expected: `on each of the ${poison.length} parked messages: ${Object.values(HEADERS).join(', ')} (reason one of schema-invalid, unknown-currency, unknown-reference; attempt 1)`,
      actual: `${facts - wrong} of ${facts} header values right${firstOf(problems)}`,
      hint: 'Someone on call at 3 a.m. reads these headers, and your replay relies on them. The brief lists the names and what each value means.',
    };
  },
};

const replayPostsOnce: LabCheck = {
  id: 'replay-posts-once',
  title: 'The replay posts what is now valid, exactly once',
  points: 10,
  visibility: 'public',
  targets: 'replays that double-post',
  task: 3,
  run({ setup, outputs }) {
    const fixed = fixedOf(setup);
    const results = fixed.map((message) => postedOnce(outputs.afterReplay.payments, message));
    const problems = results.flatMap((result) => (result.ok ? [] : [result.problem!]));
    const right = results.filter((result) => result.ok).length;
    return {
      passed: right === fixed.length,
      score: share(10, right, fixed.length),
      expected: `after the customer was onboarded, its ${fixed.length} parked payments posted once each by the first replay (one post meets a 503, one a lost response)`,
      actual: `${right} of ${fixed.length} posted exactly once${firstOf(problems)}; the replay ${describeRun(outputs.replays[0])}`,
      hint: 'The replay may run after a crash, or meet a response that never arrives. Which key would the ERP recognise as the same payment?',
    };
  },
};

const stillInvalidParked: LabCheck = {
  id: 'still-invalid-parked',
  title: 'What is still invalid stays parked in payments.parked with its reason',
  points: 10,
  visibility: 'public',
  targets: 'dead-letter handling',
  task: 3,
  run({ setup, outputs }) {
    if (outputs.recordsUnreadable) return unreadableRecords(outputs.recordsUnreadable);
    const stillInvalid = stillInvalidOf(setup);
    const parked = writtenBefore(outputs.records, TOPICS.parked, outputs.afterReplay.parkedEnds);
    const problems: string[] = [];
    let right = 0;
    for (const message of stillInvalid) {
      const copies = parked.filter((record) => record.value === message.value);
      if (copies.length !== 1) {
        problems.push(`the ${message.kind} message from ${where(message)} is ${copies.length === 0 ? 'not' : `${copies.length} times`} in ${TOPICS.parked}`);
        continue;
      }
      const found = [...(copies[0]!.key === message.key ? [] : [`${where(message)} lost its key`]), ...headerProblems(copies[0]!, message, 2)];
      if (found.length === 0) right++;
      problems.push(...found);
    }
    const wronglyParked = fixedOf(setup).filter((message) => parked.some((record) => record.value === message.value));
    for (const message of wronglyParked) problems.push(`payment ${message.paymentId} is valid now but was parked`);
    return {
      passed: right === stillInvalid.length && wronglyParked.length === 0,
      score: share(10, right - wronglyParked.length, stillInvalid.length),
      expected: `the ${stillInvalid.length} messages that are still invalid after the fix, each once in ${TOPICS.parked}, original key, value and dlq-original-* headers, current reason, ${HEADERS.attempt} 2; nothing that is valid now`,
      actual: `${right} of ${stillInvalid.length} still-invalid messages parked as expected${wronglyParked.length > 0 ? `, but ${count(wronglyParked.length, 'now-valid payment')} parked too` : ''}${firstOf(problems)}`,
      hint: 'A replay re-checks every message; the ones it still cannot post keep their history (where they came from) and add one attempt.',
    };
  },
};

const cleanExits: LabCheck = {
  id: 'clean-exits',
  title: 'The consumer runs until stopped; each replay finishes and exits 0',
  points: 5,
  visibility: 'public',
  targets: 'operability',
  task: 3,
  run({ outputs }) {
    const [first, second] = outputs.replays;
    // 'stopped' means it was still running when the grader stopped it.
    const consumerOk = outputs.firstPass.consumer.status === 'stopped';
    const replaysOk = [first, second].every((run) => run?.status === 'ok' && run.exitCode === 0);
    return {
      passed: consumerOk && replaysOk,
      score: (consumerOk ? 2 : 0) + (replaysOk ? 3 : 0),
      expected: 'consume keeps running until it is stopped; replay reads to the end of the DLQ and exits with code 0, twice',
      actual: `the consumer ${consumerOk ? 'ran until stopped' : describeRun(outputs.firstPass.consumer)}; the replays: ${describeRun(first)}, ${describeRun(second)}`,
      hint: 'A replay is a batch job: it must know where the end is and stop there, even when there is nothing to do.',
    };
  },
};

/** The public checks; the hidden ones are in ../hidden/checks.ts. */
export const CHECKS: LabCheck[] = [
  goodPaymentsPosted,
  partitionNotBlocked,
  poisonRoutedToDlq,
  dlqHeaders,
  replayPostsOnce,
  stillInvalidParked,
  cleanExits,
];
