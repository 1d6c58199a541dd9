import { defineScenario, type CheckOutcome } from '../../grader/checks/scenario.ts';
import type { LabEnvironment, MockSystemAdmin } from '../../grader/environment/environment.ts';
import type { ErpCustomer, ErpInvoice, ErpSalesOrder } from '../../mock-systems/erp/data.ts';
import type { ProcessResult } from '../../grader/runner/process-result.ts';
import type { JournalEntry } from '../../mock-systems/platform/journal-entry.ts';
import { connectBroker, PARTITIONS, partitionOf, totalLag, type PartitionLag } from './broker.ts';
import { openOrdersForTheDay } from './grading/checkout.ts';
import { MIN_ORDERS, planEvents, type ExpectedOrder, type OrderRoles, type PlannedEvent, type Stage } from './event-stream.ts';

/**
 * Order events → ERP invoices, with at-least-once delivery made real: duplicates on the topic,
 * 503s, lost responses and a hang from the ERP, a stop (SIGTERM, then SIGKILL) while a write
 * hangs, offsets rewound on the other partitions, more events while the service is down, a
 * restart, and a late one once the service has caught up. grading/AUTHORING.md maps the brief's
 * criteria onto these situations, the checks and the mutants.
 */

export interface Setup {
  roles: OrderRoles;
  expected: ExpectedOrder[];
  /** The events the drive produces after setup, by when (event-stream.ts): everything but `first`. */
  later: Record<Exclude<Stage, 'first'>, PlannedEvent[]>;
  inFlightPartition: number;
  /** Invoices of the seeded ERP that were cancelled before the run: any other cancellation must come from an event. */
  cancelledBefore: string[];
}

export interface Outputs {
  /** The in-flight order's invoice creation was hanging when the consumer was stopped. */
  inFlightReached: boolean;
  /** The other partitions were rewound before the restart (the group emptied in time). */
  rewound: boolean;
  lag: PartitionLag[];
  /** How the restarted consumer ended: `stopped` when it was still running at the stop. */
  secondRun: ProcessResult;
}

const RUN_LIMIT_MS = 45_000;
/** Long enough for a consumer to start, join and handle the events on the topic before it. */
const CATCH_UP_BEFORE_IN_FLIGHT_MS = 12_000;
/**
 * Long enough for a consumer to reach the in-flight event and call the ERP. One that commits
 * before it processes has caught up (lag 0) long before its work is done, and reaches the event
 * only after all of it: on a slow machine or provider, that takes seconds.
 */
const REACH_IN_FLIGHT_MS = 20_000;
/** The ERP has seen no call for this long: a consumer's work is done, not only its offsets committed. */
const SETTLED_MS = 1_500;
/** A stopped member leaves the group at once, or when its session (6 s in the brief) expires. */
const GROUP_EMPTY_MS = 12_000;
const CATCH_UP_MS = 20_000;
/**
 * The quiet before the late correction: a service that exits once it has caught up, or after a
 * few idle seconds, is gone by then.
 */
const QUIET_BEFORE_LATE_MS = 8_000;
const POLL_MS = 100;

export const WRITES = new Set(['createInvoice', 'updateInvoice']);

export function erpOf(env: LabEnvironment): MockSystemAdmin {
  const erp = env.systems.erp;
  if (!erp) throw new Error('this lab needs the erp service');
  return erp;
}

function bootstrapOf(env: LabEnvironment): string {
  if (!env.kafkaBootstrapServers) throw new Error('this lab needs the kafka service');
  return env.kafkaBootstrapServers;
}

export async function invoicesByOrder(env: LabEnvironment, expected: ExpectedOrder[]): Promise<Map<string, ErpInvoice[]>> {
  const state = await erpOf(env).state<{ invoices: ErpInvoice[] }>();
  const byOrder = new Map(expected.map((order) => [order.orderId, [] as ErpInvoice[]]));
  for (const invoice of state.invoices) byOrder.get(invoice.orderId)?.push(invoice);
  return byOrder;
}

/** Polls until `probe` gives a value, the time is up, or `gaveUp` says there is no point waiting. */
async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, gaveUp: () => boolean = () => false): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gaveUp()) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return undefined;
}

/**
 * Orders with two invoice writes in flight at once: one arrived at the ERP before the answer to
 * the other was sent. Writes that got no answer (a hang, a lost response) are left out: the
 * client gave up on those, so its retry is not a second write at the same time. A create names
 * its order, an update its invoice (`orderOfInvoice` maps it back).
 */
export function ordersWithOverlappingWrites(journal: JournalEntry[], orderOfInvoice: Map<string, string>): Set<string> {
  const answered = journal
    .filter((entry) => entry.operationId !== undefined && WRITES.has(entry.operationId) && entry.entity && entry.status !== undefined && entry.durationMs !== undefined)
    .map((entry) => ({ order: orderOfInvoice.get(entry.entity!) ?? entry.entity!, start: entry.elapsedMs, end: entry.elapsedMs + entry.durationMs! }));
  const overlapping = new Set<string>();
  for (const first of answered) {
    if (answered.some((other) => other !== first && other.order === first.order && other.start > first.start && other.start < first.end)) overlapping.add(first.order);
  }
  return overlapping;
}

/** Waits until the ERP has had no call for SETTLED_MS (or the time is up, or the consumer ended). */
async function settled(erp: MockSystemAdmin, timeoutMs: number, ended: () => boolean): Promise<void> {
  let count = await erp.countRequests();
  let quietSince = Date.now();
  await waitFor(
    async () => {
      const now = await erp.countRequests();
      if (now !== count) [count, quietSince] = [now, Date.now()];
      return Date.now() - quietSince >= SETTLED_MS ? true : undefined;
    },
    timeoutMs,
    ended,
  );
}

export function share(points: number, good: number, total: number): number {
  return total === 0 ? 0 : Math.floor((points * good) / total);
}

export function amountText(amount: number, currency: string): string {
  return `${(amount / 100).toFixed(2)} ${currency}`;
}

/** Canonical JSON (sorted keys), so two bodies compare by value. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}


export default defineScenario<Setup, Outputs>({
  async setup({ env, random, seed }) {
    const erp = erpOf(env);
    const state = await erp.state<{ customers: ErpCustomer[]; salesOrders: ErpSalesOrder[]; invoices: ErpInvoice[] }>();
    const openOrders = await openOrdersForTheDay(env, erp, state, MIN_ORDERS, random('checkout'), seed);
    const plan = planEvents(openOrders, random('order-events'), partitionOf);
    const { roles } = plan;

    // The ERP's bad day, aimed at the roles the event plan gave the orders.
    await erp.addFault({ id: 'in-flight-hang', match: { operationId: 'createInvoice', entity: roles.inFlight }, trigger: { calls: [1] }, action: { type: 'hang' } });
    await erp.addFault({ id: 'create-unavailable', match: { operationId: 'createInvoice', entity: roles.unavailableOnCreate }, trigger: { calls: [1, 2] }, action: { type: 'status', status: 503 } });
    await erp.addFault({ id: 'create-lost-response', match: { operationId: 'createInvoice', entity: roles.lostResponse }, trigger: { calls: [1] }, action: { type: 'lost-response' } });
    await erp.addFault({ id: 'update-unavailable', match: { operationId: 'updateInvoice' }, trigger: { calls: [1], countBy: 'entity' }, action: { type: 'status', status: 503 } });
    await erp.addFault({ id: 'update-lost-response', match: { operationId: 'updateInvoice' }, trigger: { calls: [2], countBy: 'entity' }, action: { type: 'lost-response' } });
    // An ERP that takes its time over invoice updates: the writes of one order sent side by side
    // (not one after the other, as its partition orders them) are then in flight together.
    await erp.addFault({ id: 'updates-slow', match: { operationId: 'updateInvoice' }, action: { type: 'latency', ms: 100 } });

    const produced = (stage: Stage) => plan.events.filter((planned) => planned.stage === stage);
    const broker = await connectBroker(bootstrapOf(env));
    try {
      await broker.createTopic();
      await broker.produce(produced('first'));
    } finally {
      await broker.close();
    }
    return {
      roles,
      expected: plan.expected,
      later: {
        'in-flight': produced('in-flight'),
        'while-down': produced('while-down'),
        redelivery: produced('redelivery'),
        'after-cancel': produced('after-cancel'),
        late: produced('late'),
      },
      inFlightPartition: partitionOf(roles.inFlight),
      cancelledBefore: state.invoices.filter((invoice) => invoice.status === 'cancelled').map((invoice) => invoice.id),
    };
  },

  async drive({ setup, env }, submission) {
    const erp = erpOf(env);
    const broker = await connectBroker(bootstrapOf(env));
    try {
      // What each run handles must not depend on which partition a consumer happens to read first
      // (kafkajs shuffles them), nor on how far it got when the grader looked: the same submission
      // and seed get the same score. So each run starts with every event it is to handle already on
      // the topic, and each later event is produced only once the consumer has caught up.
      const caughtUp = (timeoutMs: number, ended: () => boolean) =>
        waitFor(async () => (totalLag(await broker.lag()) === 0 ? true : undefined), timeoutMs, ended);

      // Run 1: the day's first events, then the in-flight order, whose invoice creation hangs; stop mid-write.
      const first = await submission.start({ timeLimitMs: RUN_LIMIT_MS });
      let firstEnded = false;
      void first.result.then(() => (firstEnded = true));
      await caughtUp(CATCH_UP_BEFORE_IN_FLIGHT_MS, () => firstEnded);
      await broker.produce(setup.later['in-flight']);
      const reached = await waitFor(
        async () => {
          const attempts = await erp.requests({ operationId: 'createInvoice', entity: setup.roles.inFlight });
          return attempts.some((entry) => entry.fault === 'hang') ? ('in-flight' as const) : undefined;
        },
        REACH_IN_FLIGHT_MS,
        () => firstEnded,
      );
      await first.stop();

      // Replays happen: once the group is empty, deliver the other partitions again from the start.
      // The in-flight partition is set too, to where the group left it: every partition's offset
      // is then the scenario's choice, whatever the seeking consumer does to the ones it was not told of.
      const emptied = (await waitFor(async () => ((await broker.groupIsEmpty()) ? true : undefined), GROUP_EMPTY_MS)) ?? false;
      if (emptied) {
        const left = (await broker.lag()).find((entry) => entry.partition === setup.inFlightPartition)?.committed;
        const offsets = Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, offset: partition === setup.inFlightPartition ? left : 0 }));
        await broker.rewind(offsets.flatMap(({ partition, offset }) => (offset === null || offset === undefined ? [] : [{ partition, offset }])));
      }

      // Run 2: more of the day's events arrived while the service was down; restart and catch up.
      await broker.produce(setup.later['while-down']);
      const second = await submission.start({ timeLimitMs: RUN_LIMIT_MS });
      let secondEnded = false;
      void second.result.then(() => (secondEnded = true));
      await caughtUp(CATCH_UP_MS, () => secondEnded);
      // An old event again, on which the ERP hangs, with no stop to end it: only a per-call deadline
      // gets the consumer past it. The hang is armed now, not at setup, so that it meets this
      // redelivery and nothing else: a consumer that invoiced that order twice before (it crashed
      // between the write and the commit) must not hang at a moment no other run has.
      await erp.addFault({ id: 'redelivery-hang', match: { operationId: 'createInvoice', entity: setup.roles.cancelledEarly }, trigger: { calls: [1] }, action: { type: 'hang' } });
      await broker.produce(setup.later.redelivery);
      let current = await caughtUp(CATCH_UP_MS, () => secondEnded);
      // A change to a cancelled order, which the ERP refuses: a consumer that retries every refusal stops there.
      await broker.produce(setup.later['after-cancel']);
      if (current) current = await caughtUp(CATCH_UP_MS, () => secondEnded);
      // A late correction, after a quiet spell: a service that exits once it has caught up never
      // sees it, and one stuck on an event never will (no point waiting for it again).
      await new Promise((resolve) => setTimeout(resolve, QUIET_BEFORE_LATE_MS));
      await broker.produce(setup.later.late);
      if (current) await caughtUp(CATCH_UP_MS, () => secondEnded);
      // The stop comes once the ERP has gone quiet too, so what the consumer does after it commits
      // (one that commits first, then writes) is done and judged, not cut short by chance.
      if (current) await settled(erp, CATCH_UP_MS, () => secondEnded);
      const secondRun = await second.stop();

      return { inFlightReached: reached === 'in-flight', rewound: emptied, lag: await broker.lag(), secondRun };
    } finally {
      await broker.close();
    }
  },

  checks: [
    {
      id: 'one-invoice-per-order',
      title: 'Exactly one invoice for every order placed',
      points: 20,
      visibility: 'public',
      targets: 'idempotency; data loss and duplicates',
      task: 1,
      async run({ setup, env }): Promise<CheckOutcome> {
        const byOrder = await invoicesByOrder(env, setup.expected);
        const wrong = [...byOrder].filter(([, invoices]) => invoices.length !== 1);
        const good = setup.expected.length - wrong.length;
        if (wrong.length === 0) return { passed: true };
        const [orderId, invoices] = wrong[0]!;
        return {
          passed: false,
          score: share(20, good, setup.expected.length),
          expected: `one invoice for each of the ${setup.expected.length} orders on the topic`,
          actual: `${good} of ${setup.expected.length} orders have exactly one; e.g. ${orderId} has ${invoices.length}`,
          hint: invoices.length === 0
            ? 'An order without an invoice is an event that was never processed, or whose write failed and was not retried before its offset moved on.'
            : 'The ERP refuses a second invoice for an order; more than one means the order was invoiced through another path.',
        };
      },
    },
    {
      id: 'final-amounts',
      title: 'Invoices carry the amount of the latest amendment',
      points: 20,
      visibility: 'public',
      targets: 'duplicates and ordering',
      task: 2,
      async run({ setup, env }): Promise<CheckOutcome> {
        const byOrder = await invoicesByOrder(env, setup.expected);
        const live = setup.expected.filter((order) => !order.cancelled);
        // Right by luck is not right: writes of one order in flight together may land in any order.
        const { invoices: all } = await erpOf(env).state<{ invoices: ErpInvoice[] }>();
        const overlapping = ordersWithOverlappingWrites(await erpOf(env).requests(), new Map(all.map((invoice) => [invoice.id, invoice.orderId])));
        const wrongAmount = (order: ExpectedOrder) => {
          const invoices = byOrder.get(order.orderId) ?? [];
          return invoices.length !== 1 || invoices[0]!.amount !== order.finalAmount;
        };
        const wrong = live.filter((order) => wrongAmount(order) || overlapping.has(order.orderId));
        if (wrong.length === 0) return { passed: true };
        const example = wrong.find(wrongAmount) ?? wrong[0]!;
        const invoices = byOrder.get(example.orderId) ?? [];
        const overlapped = live.filter((order) => overlapping.has(order.orderId));
        return {
          passed: false,
          score: share(20, live.length - wrong.length, live.length),
          expected: `the ${live.length} orders that were not cancelled invoiced at their latest amount, each order's events written one after the other; e.g. ${example.orderId} at ${amountText(example.finalAmount, example.currency)}`,
          actual: [
            `${wrong.length} of ${live.length} wrong`,
            ...(wrongAmount(example) ? [`${example.orderId}: ${invoices.length === 1 ? amountText(invoices[0]!.amount, invoices[0]!.currency) : `${invoices.length} invoices`}`] : []),
            ...(overlapped.length > 0 ? [`writes of ${overlapped.map((order) => order.orderId).join(', ')} were in flight at the same time`] : []),
          ].join('; '),
          hint: 'Each OrderAmended carries the new total, and the events of one order come in order. Is any amendment skipped as a "duplicate" although it is a different event? Can an old event delivered again overwrite a newer amount? Are two events of one order handled side by side?',
        };
      },
    },
    {
      id: 'cancellations-applied',
      title: 'Cancelled orders have cancelled invoices, and only those',
      points: 15,
      visibility: 'public',
      targets: 'event handling',
      task: 3,
      async run({ setup, env }): Promise<CheckOutcome> {
        const byOrder = await invoicesByOrder(env, setup.expected);
        const judged = setup.expected.filter((order) => order.cancelled || (byOrder.get(order.orderId) ?? []).length > 0);
        const wrong = judged.filter((order) => {
          const invoices = byOrder.get(order.orderId) ?? [];
          return order.cancelled ? !(invoices.length > 0 && invoices.every((invoice) => invoice.status === 'cancelled')) : invoices.some((invoice) => invoice.status === 'cancelled');
        });
        // Invoices of other orders (the ERP's history) that the run cancelled.
        const ours = new Set(setup.expected.map((order) => order.orderId));
        const before = new Set(setup.cancelledBefore);
        const { invoices } = await erpOf(env).state<{ invoices: ErpInvoice[] }>();
        const strays = invoices.filter((invoice) => !ours.has(invoice.orderId) && invoice.status === 'cancelled' && !before.has(invoice.id));
        if (wrong.length === 0 && strays.length === 0) return { passed: true };
        const example = wrong[0];
        const statuses = example ? (byOrder.get(example.orderId) ?? []).map((invoice) => invoice.status) : [];
        return {
          passed: false,
          score: share(15, judged.length - wrong.length - strays.length, judged.length),
          expected: `${setup.expected.filter((order) => order.cancelled).length} invoices cancelled (their orders were), no other invoice in the ERP`,
          actual: [
            ...(example ? [`${wrong.length} of ${judged.length} orders wrong; e.g. ${example.orderId} (${example.cancelled ? 'cancelled' : 'not cancelled'}): ${statuses.length === 0 ? 'no invoice' : `invoice ${statuses.join(', ')}`}`] : []),
            ...(strays.length > 0 ? [`${strays.length} invoices of orders with no event cancelled, e.g. ${strays[0]!.id} of ${strays[0]!.orderId}`] : []),
          ].join('; '),
          hint: 'OrderCancelled must cancel the invoice of that order and no other. An event delivered again may find the invoice already cancelled: decide what that answer means instead of retrying it forever.',
        };
      },
    },
    {
      id: 'all-consumed',
      title: 'Every event consumed and committed (lag 0)',
      points: 10,
      visibility: 'public',
      targets: 'consumer groups and offsets',
      task: 4,
      run({ outputs }): CheckOutcome {
        const lag = outputs?.lag ?? [];
        const behind = lag.filter((entry) => entry.committed !== entry.end);
        if (lag.length > 0 && behind.length === 0) return { passed: true };
        return {
          passed: false,
          expected: `group invoice-sync committed up to the end of every partition of orders (${lag.map((entry) => `p${entry.partition}: ${entry.end}`).join(', ')})`,
          actual: behind.map((entry) => `p${entry.partition}: ${entry.committed === null ? 'nothing committed' : `committed ${entry.committed}`} of ${entry.end}`).join('; ') || 'no offsets could be read',
          hint: 'Consume with the group id from the brief, from the earliest offset when the group has none, and commit each event once it is handled. A consumer that stops at the first unexpected answer, or waits for one that never comes, never catches up.',
        };
      },
    },
    {
      id: 'runs-until-stopped',
      title: 'The service keeps running until it is stopped',
      points: 5,
      visibility: 'public',
      targets: 'long-running consumers',
      task: 4,
      run({ outputs }): CheckOutcome {
        const run = outputs?.secondRun;
        if (run?.status === 'stopped') return { passed: true };
        const how = !run ? 'did not run' : run.status === 'ok' ? 'exited with code 0 before it was stopped' : run.status === 'crash' ? (run.signal ? `was killed by ${run.signal}` : `exited with code ${run.exitCode} before it was stopped`) : run.status;
        return {
          passed: false,
          expected: 'the restarted service still running when the grader stopped it, after a late event',
          actual: `the restarted service ${how}`,
          hint: 'Events keep arriving all day; caught up is not done. What tells a consumer to stop?',
        };
      },
    },
  ],
});
