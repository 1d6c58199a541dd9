import { defineScenario } from '../../grader/checks/scenario.ts';
import { UnreadableTopicsError } from '../../grader/checks/topic-reader.ts';
import type { LabEnvironment, MockSystemAdmin } from '../../grader/environment/environment.ts';
import { connectBroker, PARTITIONS, POSTER_GROUP, TOPICS, type ScenarioBroker } from './grading/broker.ts';
import { CHECKS } from './grading/checks.ts';
import { waitForFirstPass } from './grading/first-pass.ts';
import type { ErpPaymentRow, Outputs, PhaseSnapshot, Setup } from './grading/model.ts';
import { loadOnboardedCustomer } from './grading/onboarding.ts';
import { assertStreamMatchesSchema } from './grading/schema-agreement.ts';
import { ensurePayableInvoices, type ErpState } from './grading/open-invoices.ts';
import { planStream } from './grading/stream.ts';

/**
 * Lab 04: a payments consumer that parks poison messages in a DLQ without blocking, and a
 * replay that re-processes the DLQ once reference data is fixed — exactly once, in order per
 * key, and idempotently.
 *
 * setup: tops up the ERP's payable invoices when a seed has too few, plans the stream from
 *        them, produces it, and scripts four 503s in a row and a lost response for the first
 *        pass (so `lab start` shows the same world). grading/AUTHORING.md maps the brief's
 *        criteria onto these situations, the checks and the mutants.
 * drive: consume until caught up (or stuck) → stop → onboard the missing customer → script a
 *        503 and a lost response for the replay → replay → replay again → read the topics.
 */

/** The replay's first post for the onboarded invoice meets a 503; the third call loses its response. */
/**
 * The replay's posts for the onboarded invoice: the first meets a 503, and so does the first
 * retry of any payment (a moment's unavailability outlasts one quick retry); the third post
 * is committed and its response lost. A replay that retries in place posts the first payment
 * on its fourth try and only then the second; one that moves on after a failure, at once or
 * after one retry, posts the second payment first.
 */
async function scriptReplayFaults(erp: MockSystemAdmin, invoiceId: string): Promise<void> {
  const posts = { operationId: 'createPayment', entity: invoiceId };
  await erp.addFault({ id: 'replay-unavailable', match: posts, trigger: { calls: [1] }, action: { type: 'status', status: 503 } });
  await erp.addFault({ id: 'replay-still-unavailable', match: posts, trigger: { calls: [2], countBy: 'idempotency-key', times: 1 }, action: { type: 'status', status: 503 } });
  await erp.addFault({ id: 'replay-lost-response', match: posts, trigger: { calls: [3] }, action: { type: 'lost-response' } });
}

function servicesOf(env: LabEnvironment): { erp: MockSystemAdmin; bootstrapServers: string } {
  const erp = env.systems.erp;
  if (!erp || !env.kafkaBootstrapServers) throw new Error('lab 04 needs the erp and kafka services (lab.yaml services)');
  return { erp, bootstrapServers: env.kafkaBootstrapServers };
}

async function snapshot(erp: MockSystemAdmin, broker: ScenarioBroker, references: Set<string>): Promise<PhaseSnapshot> {
  const state = await erp.state<{ payments: ErpPaymentRow[] }>();
  return {
    payments: state.payments
      .filter((payment) => references.has(payment.reference))
      .map(({ id, invoiceId, amount, currency, reference }) => ({ id, invoiceId, amount, currency, reference })),
    dlqEnds: Object.fromEntries(await broker.endOffsets(TOPICS.dlq)),
    parkedEnds: Object.fromEntries(await broker.endOffsets(TOPICS.parked)),
  };
}

export default defineScenario<Setup, Outputs>({
  async setup({ env, random, seed }) {
    const { erp, bootstrapServers } = servicesOf(env);
    const state = await ensurePayableInvoices(env, await erp.state<ErpState>(), random('repeat-orders'), seed);
    const plan = planStream(state, random('stream'), PARTITIONS);
    assertStreamMatchesSchema(plan.messages);
    const broker = await connectBroker(bootstrapServers);
    try {
      await broker.createTopics();
      const coordinates = await broker.produce(plan.messages);
      // Unavailable for longer than a few quick retries: parking the payment then would be wrong.
      await erp.addFault({ id: 'first-pass-unavailable', match: { operationId: 'createPayment', entity: plan.firstPassFaults.unavailable }, trigger: { calls: [1, 2, 3, 4] }, action: { type: 'status', status: 503 } });
      await erp.addFault({ id: 'first-pass-lost-response', match: { operationId: 'createPayment', entity: plan.firstPassFaults.lostResponse }, trigger: { calls: [1] }, action: { type: 'lost-response' } });
      return {
        messages: plan.messages.map((message, index) => ({ ...message, ...coordinates[index]! })),
        onboarding: plan.onboarding,
        neverOnboarded: plan.neverOnboarded,
      };
    } finally {
      await broker.close();
    }
  },

  async drive({ env, setup, seed }, submission) {
    const { erp, bootstrapServers } = servicesOf(env);
    const references = new Set(setup.messages.flatMap((message) => (message.booking ? [message.booking.reference] : [])));
    const broker = await connectBroker(bootstrapServers);
    try {
      const consumer = await submission.start({ args: ['consume'], timeLimitMs: 60_000 });
      const end = await waitForFirstPass(broker, consumer.result);
      const consumerResult = await consumer.stop();
      const lag = await broker.lag(POSTER_GROUP, TOPICS.payments);
      const afterConsume = await snapshot(erp, broker, references);

      await loadOnboardedCustomer(env, setup.onboarding, seed);
      await scriptReplayFaults(erp, setup.onboarding.invoiceId);
      const firstReplay = await submission.run({ args: ['replay'] });
      const afterReplay = await snapshot(erp, broker, references);
      const secondReplay = await submission.run({ args: ['replay'] });
      const afterSecondReplay = await snapshot(erp, broker, references);

      return {
        firstPass: { end, lag, consumer: consumerResult },
        afterConsume,
        replays: [firstReplay, secondReplay],
        afterReplay,
        afterSecondReplay,
        ...(await broker.read([TOPICS.dlq, TOPICS.parked]).then(
          (records) => ({ records }),
          (error: unknown) => {
            // A submission that wrote records no reader can decode in time loses what they were for.
            if (error instanceof UnreadableTopicsError) return { records: [], recordsUnreadable: error.message };
            throw error;
          },
        )),
      };
    } finally {
      await broker.close();
    }
  },

  checks: CHECKS,
});
