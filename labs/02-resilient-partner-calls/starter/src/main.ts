import { readFileSync } from 'node:fs';
import { Configuration, ShipmentsApi, type BookingRequest } from '@integration-lab/clients/partner';
import { bookOrder, type BookingOutcome } from './book-order.ts';

function requiredVariable(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set; start the lab environment and export the variables it prints`);
    process.exit(2);
  }
  return value;
}

/** The warehouse's export: a JSON array of orders awaiting shipment, each a booking body. */
function readOrders(): BookingRequest[] {
  const parsed: unknown = JSON.parse(readFileSync(0, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error('expected a JSON array of orders on stdin');
  return parsed as BookingRequest[];
}

const api = new ShipmentsApi(new Configuration({ basePath: requiredVariable('PARTNER_URL'), apiKey: requiredVariable('PARTNER_API_KEY') }));
const orders = readOrders();
console.error(`booking ${orders.length} orders with the partner`);

const outcomes: BookingOutcome[] = [];
for (const order of orders) {
  outcomes.push(await bookOrder(order, { api, log: (message) => console.error(message) }));
}

// The summary: one JSON line per order on stdout. Logs go to stderr.
for (const outcome of outcomes) console.log(JSON.stringify(outcome));
