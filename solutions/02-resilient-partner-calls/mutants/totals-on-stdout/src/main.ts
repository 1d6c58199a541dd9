import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Configuration, ShipmentsApi, type BookingRequest } from '@integration-lab/clients/partner';
import { bookOrder, type BookingOutcome } from './book-order.ts';
import { PARTNER_RETRY_POLICY } from './retry-policy.ts';

/** Bookings in flight at once: enough to overlap waits, few enough to stay inside the rate limit. */
const CONCURRENCY = 8;
/** A booking normally answers in well under a second; the partner's guide allows 3 s at most. */
const CALL_TIMEOUT_MS = 2500;

function requiredVariable(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set; start the lab environment and export the variables it prints`);
    process.exit(2);
  }
  return value;
}

function readOrders(): BookingRequest[] {
  const parsed: unknown = JSON.parse(readFileSync(0, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error('expected a JSON array of orders on stdin');
  return parsed as BookingRequest[];
}

/** Runs `work` over `items` with at most `limit` at a time; results keep the input order. */
async function mapConcurrently<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const api = new ShipmentsApi(new Configuration({ basePath: requiredVariable('PARTNER_URL'), apiKey: requiredVariable('PARTNER_API_KEY') }));
const orders = readOrders();
console.error(`booking ${orders.length} orders with the partner`);

const outcomes: BookingOutcome[] = await mapConcurrently(orders, CONCURRENCY, (order) =>
  bookOrder(order, {
    api,
    policy: PARTNER_RETRY_POLICY,
    timeoutMs: CALL_TIMEOUT_MS,
    sleep: (ms) => sleep(ms),
    random: () => randomInt(1_000_000) / 1_000_000,
    log: (message) => console.error(message),
  }),
);

for (const outcome of outcomes) console.log(JSON.stringify(outcome));
const count = (kind: BookingOutcome['outcome']) => outcomes.filter((outcome) => outcome.outcome === kind).length;
console.log(`booked ${count('booked')}, rejected ${count('rejected')}, failed ${count('failed')}`);
