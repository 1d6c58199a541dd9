// The hidden checks of this lab: they run in `lab grade` only, and `lab pack` leaves this
// folder out of a candidate's bundle. The loader appends them to the scenario's public checks.
import { defineChecks, type CheckOutcome } from '../../../grader/checks/scenario.ts';
import { TOPICS } from '../grading/broker.ts';
import { fixedOf, postedBefore, postedOnce, type Outputs, type Setup } from '../grading/model.ts';

export default defineChecks<Setup, Outputs>([
  {
    id: 'replay-per-key-order',
    title: 'The replay keeps the order of each customer\'s payments',
    points: 10,
    visibility: 'hidden',
    targets: 'ordering assumptions',
    task: 3,
    run({ setup, outputs }) {
      const fixed = fixedOf(setup);
      const posted = fixed.map((message) => postedOnce(outputs.afterReplay.payments, message).payment);
      const missing = fixed.filter((_, index) => !posted[index]);
      if (missing.length > 0) {
        return {
          passed: false,
          expected: `the ${fixed.length} payments of the onboarded customer posted in their original order`,
          actual: `${missing.length} of them were not posted exactly once, so their order cannot be right`,
          hint: 'Post each parked payment of a customer only after the one before it.',
        };
      }
      const inOrder = posted.every((payment, index) => index === 0 || postedBefore(posted[index - 1]!, payment!));
      return {
        passed: inOrder,
        expected: `payments ${fixed.map((message) => message.paymentId).join(' then ')} (original order) posted in that order`,
        actual: inOrder ? 'posted in order' : `posted as ${fixed.map((message, index) => `${message.paymentId} → ${posted[index]!.id}`).join(', ')}`,
        hint: 'When one post fails for a moment, what happens to the next message of the same customer while you wait?',
      };
    },
  },
  {
    id: 'replay-idempotent',
    title: 'Running the replay again changes nothing',
    points: 5,
    visibility: 'hidden',
    targets: 'replays that double-post',
    task: 3,
    run({ setup, outputs }) {
      const { afterReplay: before, afterSecondReplay: after } = outputs;
      const replayWorked = fixedOf(setup).some((message) => postedOnce(before.payments, message).ok);
      const changes: string[] = [];
      const newPayments = after.payments.filter((payment) => !before.payments.some((known) => known.id === payment.id));
      if (newPayments.length > 0) changes.push(`${newPayments.length} new ERP payments (${newPayments[0]!.id}…)`);
      for (const [topic, ends] of [[TOPICS.dlq, 'dlqEnds'], [TOPICS.parked, 'parkedEnds']] as const) {
        const added = Object.entries(after[ends]).reduce((sum, [partition, end]) => sum + end - (before[ends][Number(partition)] ?? 0), 0);
        if (added > 0) changes.push(`${added} new messages in ${topic}`);
      }
      const outcome: CheckOutcome = {
        passed: replayWorked && changes.length === 0,
        expected: 'a second replay right after the first: no new ERP payment, nothing new in payments.dlq or payments.parked',
        actual: !replayWorked ? 'the first replay posted nothing, so there was nothing to repeat' : changes.length === 0 ? 'nothing changed' : changes.join('; '),
        hint: 'How does the replay know, on its next run, which parked messages it has already dealt with?',
      };
      return outcome;
    },
  },
]);
