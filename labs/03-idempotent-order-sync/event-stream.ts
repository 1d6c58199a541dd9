import type { ErpSalesOrder } from '../../mock-systems/erp/data.ts';
import type { Random } from '../../mock-systems/platform/random.ts';

/**
 * The order events of one run, planned from the ERP's open sales orders. Pure: the same
 * orders and the same seeded generator give the same events, partitions and expectations.
 */

export type OrderEventType = 'OrderPlaced' | 'OrderAmended' | 'OrderCancelled';

export interface OrderEvent {
  eventId: string;
  type: OrderEventType;
  orderId: string;
  version: number;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/**
 * When the drive puts an event on the topic. Each run starts with every event it is to handle
 * already there, and a new one follows only once the consumer has caught up, so what a consumer
 * handles before a stop or a hang never depends on which partition it reads first (kafkajs
 * shuffles them on every fetch):
 * - `first`: before the consumer first starts;
 * - `in-flight`: once the first run has caught up; the ERP hangs on it, and the stop comes;
 * - `while-down`: while the service is stopped, before the restart;
 * - `redelivery`: once the second run has caught up; the ERP hangs on it too, and no stop ends this one;
 * - `after-cancel`: once the second run is past that hang: a change to an order already cancelled,
 *   which the ERP refuses (422);
 * - `late`: after a quiet spell, once the second run has caught up again.
 */
export type Stage = 'first' | 'in-flight' | 'while-down' | 'redelivery' | 'after-cancel' | 'late';

export interface PlannedEvent {
  event: OrderEvent;
  stage: Stage;
  /** A second copy of an event already on the topic (the producer retried, or a replay). */
  duplicate: boolean;
}

export interface ExpectedOrder {
  orderId: string;
  cancelled: boolean;
  /** The amount of the last OrderPlaced or OrderAmended. */
  finalAmount: number;
  currency: string;
}

/** The role each chosen order plays; each exercises one failure of at-least-once delivery. */
export interface OrderRoles {
  /** Its OrderPlaced is in flight (the ERP hangs) when the consumer is stopped. */
  inFlight: string;
  /**
   * Amended twice while the service is down, then the first amendment arrives again (stale), then
   * amended a third time, and that change is reverted: a new amendment takes the total back to
   * what the second one set. Late in the day the first amendment is published once more, after
   * every other event of the order.
   */
  amendedTwice: string;
  /** The ERP answers 503 to its first two invoice creations. */
  unavailableOnCreate: string;
  /**
   * Cancelled before the stop; its OrderPlaced arrives again once the restarted consumer has caught
   * up, and the ERP hangs on it. On the in-flight order's partition, which the replay between the
   * runs leaves alone, so that redelivery is the only one.
   */
  cancelledEarly: string;
  /**
   * The ERP creates its invoice and loses the response; cancelled while the service is down, then
   * amended once more, which the ERP refuses: a cancelled invoice does not change.
   */
  lostResponse: string;
  /**
   * On the in-flight order's partition too: placed before the stop, amended while the service is
   * down. After the restart its partition resumes where it was committed, so the amendment comes
   * without its OrderPlaced: only the ERP knows its invoice.
   */
  amendedAcrossRestart: string;
  /** Amended before the stop; its OrderPlaced is duplicated straight away; amended again late in the day. */
  duplicatedAtOnce: string;
  /** Any further orders: placed, some amended after the restart. */
  plain: string[];
}

export interface EventPlan {
  roles: OrderRoles;
  events: PlannedEvent[];
  expected: ExpectedOrder[];
}

/** Seven orders on three partitions always put three on one: the in-flight order's. */
export const MIN_ORDERS = 7;
export const MAX_ORDERS = 9;

const MINUTE = 60_000;

/**
 * `partitionOf` is the topic's partitioner: the in-flight order, the one cancelled early and the
 * one amended across the restart share a partition, which the replay between the runs leaves alone.
 */
export function planEvents(openOrders: ErpSalesOrder[], random: Random, partitionOf: (orderId: string) => number): EventPlan {
  if (openOrders.length < MIN_ORDERS) {
    throw new Error(`the ERP holds ${openOrders.length} open sales orders; this lab needs at least ${MIN_ORDERS} (is its size too small?)`);
  }
  const chosen = random.helpers.shuffle([...openOrders].sort((a, b) => a.id.localeCompare(b.id))).slice(0, MAX_ORDERS);
  const byId = new Map(chosen.map((order) => [order.id, order]));
  const ids = chosen.map((order) => order.id);
  const inFlight = ids.find((id) => ids.filter((other) => partitionOf(other) === partitionOf(id)).length >= 3)!;
  const [cancelledEarly, amendedAcrossRestart] = ids.filter((id) => id !== inFlight && partitionOf(id) === partitionOf(inFlight)) as [string, string];
  const [amendedTwice, unavailableOnCreate, lostResponse, duplicatedAtOnce, ...plain] = ids.filter((id) => ![inFlight, cancelledEarly, amendedAcrossRestart].includes(id)) as [
    string, string, string, string, ...string[]
  ];
  const roles: OrderRoles = { inFlight, amendedTwice, unavailableOnCreate, cancelledEarly, lostResponse, duplicatedAtOnce, amendedAcrossRestart, plain };

  const versions = new Map<string, number>();
  const clocks = new Map<string, number>();
  const make = (orderId: string, type: OrderEventType, payload: Record<string, unknown>): OrderEvent => {
    const order = byId.get(orderId)!;
    const version = (versions.get(orderId) ?? 0) + 1;
    versions.set(orderId, version);
    const at = (clocks.get(orderId) ?? Date.parse(order.createdAt)) + random.number.int({ min: 1, max: 90 }) * MINUTE;
    clocks.set(orderId, at);
    return { eventId: random.string.uuid(), type, orderId, version, occurredAt: new Date(type === 'OrderPlaced' ? Date.parse(order.createdAt) : at).toISOString(), payload };
  };
  const placed = (orderId: string) => {
    const order = byId.get(orderId)!;
    return make(orderId, 'OrderPlaced', {
      customerId: order.customerId,
      currency: order.currency,
      lines: order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice })),
      total: order.total,
    });
  };
  /** A discount of a seeded percentage within [min, max], so successive amendments differ. */
  const amended = (orderId: string, min: number, max: number) => {
    const order = byId.get(orderId)!;
    const percent = random.number.int({ min, max });
    const total = Math.max(1, Math.round((order.total * (100 - percent)) / 100));
    return make(orderId, 'OrderAmended', { total, reason: random.helpers.arrayElement(['discount', 'price-correction', 'goodwill']) });
  };
  const cancelled = (orderId: string) => make(orderId, 'OrderCancelled', { reason: random.helpers.arrayElement(['customer-request', 'out-of-stock', 'payment-failed']) });

  const events: PlannedEvent[] = [];
  const once = (stage: Stage, event: OrderEvent) => events.push({ event, stage, duplicate: false });
  const again = (stage: Stage, event: OrderEvent) => events.push({ event, stage, duplicate: true });

  // On the topic before the consumer first starts; the in-flight order's OrderPlaced follows once it has caught up.
  const placedEvents = new Map<string, OrderEvent>();
  for (const orderId of ids) {
    const event = placed(orderId);
    placedEvents.set(orderId, event);
    if (orderId === inFlight) continue;
    once('first', event);
    if (orderId === duplicatedAtOnce) again('first', event);
  }
  once('first', amended(unavailableOnCreate, 5, 12));
  once('first', amended(duplicatedAtOnce, 3, 9));
  once('first', cancelled(cancelledEarly));
  once('in-flight', placedEvents.get(inFlight)!);

  // While the service is down.
  const first = amended(amendedTwice, 4, 10);
  const second = amended(amendedTwice, 12, 20);
  once('while-down', first);
  once('while-down', second);
  again('while-down', first);
  once('while-down', amended(amendedTwice, 21, 28));
  // The last change reverted: back to the second amendment's total (not the first's, which a
  // consumer that keeps only an order's first amendment would hold by chance).
  once('while-down', make(amendedTwice, 'OrderAmended', { total: second.payload.total, reason: 'price-correction' }));
  once('while-down', cancelled(lostResponse));
  once('while-down', amended(amendedAcrossRestart, 3, 11));
  plain.forEach((orderId, index) => {
    if (index % 2 === 0) once('while-down', amended(orderId, 2, 15));
  });

  // Once the restarted consumer has caught up: an old event again, and the ERP hangs on it.
  again('redelivery', placedEvents.get(cancelledEarly)!);

  // Once it is past the hang: the shop amends an order it has cancelled; the ERP refuses (422).
  once('after-cancel', amended(lostResponse, 2, 6));

  // A late correction, once the restarted consumer has caught up and gone quiet; and an old
  // amendment published again (an upstream replay), now the last event of its order: only a
  // consumer that knows it as the event it already applied keeps the newer total.
  once('late', amended(duplicatedAtOnce, 10, 18));
  again('late', first);

  return { roles, events, expected: expectedOrders(chosen, events) };
}

/** The final state each order must reach in the ERP: the last event of each kind wins by version. */
export function expectedOrders(orders: ErpSalesOrder[], events: PlannedEvent[]): ExpectedOrder[] {
  return orders.map((order) => {
    const own = events.map((planned) => planned.event).filter((event) => event.orderId === order.id).sort((a, b) => a.version - b.version);
    let finalAmount = order.total;
    let cancelled = false;
    for (const event of own) {
      if (event.type === 'OrderAmended') finalAmount = event.payload.total as number;
      if (event.type === 'OrderCancelled') cancelled = true;
    }
    return { orderId: order.id, cancelled, finalAmount, currency: order.currency };
  });
}
