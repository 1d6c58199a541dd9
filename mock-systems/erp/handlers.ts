import { createHash } from 'node:crypto';
import type { OperationContext, OperationHandler, OperationRequest, OperationResponse } from '../platform/operation.ts';
import { problem } from '../platform/problem.ts';
import type { Random } from '../platform/random.ts';
import {
  formatErpId,
  type ErpCustomer,
  type ErpCustomerStatus,
  type ErpCurrency,
  type ErpInvoice,
  type ErpOrderLine,
  type ErpPayment,
  type ErpSalesOrder,
} from './data.ts';

/** The ERP's live books plus what it needs to enforce auth and idempotency. */
export interface ErpState {
  customers: Map<string, ErpCustomer>;
  salesOrders: Map<string, ErpSalesOrder>;
  invoices: Map<string, ErpInvoice>;
  payments: Map<string, ErpPayment>;
  /** Last sequence number used per kind of id. */
  sequences: { customer: number; salesOrder: number; invoice: number; payment: number };
  /** Completed writes by client and Idempotency-Key (see idempotencyStoreKey). */
  idempotency: Map<string, IdempotencyRecord>;
  /** OAuth clients allowed to get tokens: client id → secret. */
  clients: Map<string, string>;
  /** Live bearer tokens → who holds them and until when. Never exposed by the snapshot. */
  tokens: Map<string, IssuedToken>;
  tokensIssued: number;
  tokenTtlSeconds: number;
  /** Seeded stream token values are drawn from, so a run's tokens are reproducible. */
  tokenRandom: Random;
}

export interface IssuedToken {
  clientId: string;
  /** Milliseconds on the system clock. */
  expiresAt: number;
}

export interface IdempotencyRecord {
  clientId: string;
  key: string;
  operationId: string;
  method: string;
  path: string;
  /** SHA-256 of the canonical JSON of operation, path and body. */
  fingerprint: string;
  /** The first response, replayed verbatim on a retry. */
  response: { status: number; body: unknown; headers: Record<string, string> };
  createdAt: string;
  /** How many times the response has been replayed. */
  replays: number;
}

const REALM = 'erp';
const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 20;
const PAYMENT_TERMS_DAYS = 30;
const DAY = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// OAuth 2.0 client credentials (RFC 6749 §4.4) and bearer tokens (RFC 6750)

function issueToken(request: OperationRequest, state: ErpState, context: OperationContext): OperationResponse {
  const form = formFields(request.body);
  const basic = basicCredentials(request.headers.authorization);
  if (basic === 'malformed') {
    return oauthError(400, 'invalid_request', 'The Authorization header is not valid HTTP Basic: send base64(client_id:client_secret).');
  }
  if (!form.grant_type) {
    return oauthError(400, 'invalid_request', 'grant_type is missing: send grant_type=client_credentials.');
  }
  const formHasCredentials = form.client_id !== undefined || form.client_secret !== undefined;
  if (basic && formHasCredentials) {
    return oauthError(400, 'invalid_request', 'Authenticate the client one way only: HTTP Basic or client_id/client_secret in the body, not both.');
  }
  const clientId = basic ? basic.clientId : form.client_id;
  const clientSecret = basic ? basic.clientSecret : form.client_secret;
  const knownSecret = clientId === undefined ? undefined : state.clients.get(clientId);
  if (knownSecret === undefined || clientSecret !== knownSecret) {
    return oauthError(401, 'invalid_client', 'Client authentication failed: unknown client_id or wrong client_secret.');
  }
  if (form.grant_type !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', 'This server only supports grant_type=client_credentials.');
  }

  const now = context.now();
  for (const [value, token] of state.tokens) if (token.expiresAt <= now) state.tokens.delete(value);
  let accessToken: string;
  do accessToken = state.tokenRandom.string.alphanumeric(40);
  while (state.tokens.has(accessToken));
  state.tokens.set(accessToken, { clientId: clientId!, expiresAt: now + state.tokenTtlSeconds * 1000 });
  state.tokensIssued++;
  return {
    status: 200,
    body: { access_token: accessToken, token_type: 'Bearer', expires_in: state.tokenTtlSeconds },
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' },
  };
}

/** Refuses every request but the token request unless it carries a live bearer token. */
export function authorizeErpRequest(request: OperationRequest, state: ErpState, context: OperationContext): OperationResponse | undefined {
  if (request.operationId === 'issueToken') return undefined;
  const header = request.headers.authorization;
  if (!header) {
    // RFC 6750 §3.1: no error code when the request carried no credentials at all.
    return unauthorized('missing-token', 'Access token required',
      'Send Authorization: Bearer <token>; get a token from POST /oauth/token with the client credentials.',
      `Bearer realm="${REALM}"`);
  }
  const token = bearerToken(header);
  const issued = token === undefined ? undefined : state.tokens.get(token);
  if (!issued) {
    return unauthorized('invalid-token', 'Invalid access token',
      'The Authorization header does not carry a token this server issued. Get a new one from POST /oauth/token.',
      `Bearer realm="${REALM}", error="invalid_token", error_description="The access token is not valid"`);
  }
  if (issued.expiresAt <= context.now()) {
    return unauthorized('invalid-token', 'Access token expired',
      'The access token has expired. Get a new one from POST /oauth/token and retry; tokens live expires_in seconds.',
      `Bearer realm="${REALM}", error="invalid_token", error_description="The access token expired"`);
  }
  return undefined;
}

function unauthorized(slug: string, title: string, detail: string, challenge: string): OperationResponse {
  const response = problem(401, slug, title, detail);
  response.headers = { ...response.headers, 'www-authenticate': challenge };
  return response;
}

function oauthError(status: 400 | 401, error: string, description: string): OperationResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' };
  if (status === 401) headers['www-authenticate'] = `Basic realm="${REALM}"`;
  return { status, body: { error, error_description: description }, headers };
}

function formFields(body: unknown): Record<string, string | undefined> {
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
  if (body && typeof body === 'object') {
    return Object.fromEntries(Object.entries(body).map(([name, value]) => [name, value === undefined ? undefined : String(value)]));
  }
  return {};
}

/** RFC 6749 §2.3.1: id and secret are form-encoded, then joined by a colon and base64-encoded. */
function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | 'malformed' | undefined {
  const match = header?.match(/^Basic\s+(\S+)\s*$/i);
  if (!header || !/^Basic\b/i.test(header)) return undefined;
  if (!match) return 'malformed';
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  try {
    const formDecode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

function bearerToken(header: string): string | undefined {
  return header.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

function clientOf(request: OperationRequest, state: ErpState): string {
  const token = bearerToken(request.headers.authorization ?? '');
  return (token && state.tokens.get(token)?.clientId) || 'anonymous';
}

// ---------------------------------------------------------------------------------------------
// Idempotency-Key: every write runs at most once per client and key

/** The key the idempotency store uses: keys are scoped per OAuth client. */
export function idempotencyStoreKey(clientId: string, key: string): string {
  return `${clientId}\u0000${key}`;
}

type Write = (request: OperationRequest, state: ErpState, context: OperationContext) => OperationResponse;

// Synchronous on purpose: lookup, write and record happen in one turn of the event loop, so two
// concurrent requests with the same key cannot both run the write.
function idempotent(write: Write): Write {
  return (request, state, context) => {
    const key = request.headers['idempotency-key'];
    if (!key) {
      return problem(400, 'idempotency-key-missing', 'Idempotency-Key header required',
        'Every write needs an Idempotency-Key header: a unique value per intended write, reused only to retry that same write.',
        { errors: [{ pointer: '/headers/idempotency-key', message: 'is required' }] });
    }
    const clientId = clientOf(request, state);
    const storeKey = idempotencyStoreKey(clientId, key);
    const fingerprint = sha256(canonicalJson({ operationId: request.operationId, path: request.path, body: request.body ?? null }));
    const first = state.idempotency.get(storeKey);
    if (first) {
      if (first.fingerprint !== fingerprint) {
        return problem(422, 'idempotency-key-reused', 'Idempotency-Key reused for a different request',
          `The key "${key}" was already used for ${first.method} ${first.path} with a different body. ` +
          'Reuse a key only to retry the identical request; send a new key for a new or changed write.',
          { idempotencyKey: key, firstUsedAt: first.createdAt, errors: [{ pointer: '/headers/idempotency-key', message: 'already used for a different request' }] });
      }
      first.replays++;
      return {
        status: first.response.status,
        body: structuredClone(first.response.body),
        headers: { ...first.response.headers, 'idempotent-replayed': 'true' },
      };
    }
    const response = write(request, state, context);
    // Refusals are not remembered, so a client can fix the cause and retry with the same key.
    if (response.status >= 200 && response.status < 300) {
      state.idempotency.set(storeKey, {
        clientId,
        key,
        operationId: request.operationId,
        method: request.method,
        path: request.path,
        fingerprint,
        response: { status: response.status, body: structuredClone(response.body), headers: { ...response.headers } },
        createdAt: iso(context.now()),
        replays: 0,
      });
    }
    return response;
  };
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` count as the same body. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, inner]) => inner !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, inner]) => `${JSON.stringify(name)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Customers

function listCustomers(request: OperationRequest, state: ErpState): OperationResponse {
  const { externalRef, email, status, country } = request.query as Record<string, string | undefined>;
  const wantedEmail = email?.toLowerCase();
  const matching = [...state.customers.values()].filter((customer) =>
    (externalRef === undefined || customer.externalRef === externalRef) &&
    (wantedEmail === undefined || customer.email.toLowerCase() === wantedEmail) &&
    (status === undefined || customer.status === status) &&
    (country === undefined || customer.country === country));
  return paginate(matching, request.query);
}

function getCustomer(request: OperationRequest, state: ErpState): OperationResponse {
  const customer = state.customers.get(request.params.customerId ?? '');
  return customer ? ok(customer) : notFound('customer', request.params.customerId);
}

interface CustomerInput {
  externalRef: string;
  name: string;
  email: string;
  country: string;
  birthDate?: string;
  status?: ErpCustomerStatus;
}

function createCustomer(request: OperationRequest, state: ErpState, context: OperationContext): OperationResponse {
  const input = request.body as CustomerInput;
  const existing = [...state.customers.values()].find((customer) => customer.externalRef === input.externalRef);
  if (existing) {
    return problem(409, 'duplicate-external-ref', 'A customer with this externalRef already exists',
      `Customer ${existing.id} already carries externalRef "${input.externalRef}". Look customers up by externalRef before creating them, and update or reuse ${existing.id}.`,
      { existingId: existing.id, errors: [{ pointer: '/body/externalRef', message: `already used by ${existing.id}` }] });
  }
  const customer: ErpCustomer = {
    id: formatErpId('customer', ++state.sequences.customer),
    externalRef: input.externalRef,
    name: input.name,
    email: input.email,
    country: input.country,
    ...(input.birthDate !== undefined ? { birthDate: input.birthDate } : {}),
    status: input.status ?? 'active',
    createdAt: iso(context.now()),
  };
  state.customers.set(customer.id, customer);
  return created(`/customers/${customer.id}`, customer);
}

// ---------------------------------------------------------------------------------------------
// Sales orders

function listSalesOrders(request: OperationRequest, state: ErpState): OperationResponse {
  const { customerId, externalRef, status } = request.query as Record<string, string | undefined>;
  const matching = [...state.salesOrders.values()].filter((order) =>
    (customerId === undefined || order.customerId === customerId) &&
    (externalRef === undefined || order.externalRef === externalRef) &&
    (status === undefined || order.status === status));
  return paginate(matching, request.query);
}

function getSalesOrder(request: OperationRequest, state: ErpState): OperationResponse {
  const order = state.salesOrders.get(request.params.orderId ?? '');
  return order ? ok(order) : notFound('sales order', request.params.orderId);
}

interface SalesOrderInput {
  customerId: string;
  externalRef?: string;
  currency: ErpCurrency;
  lines: Array<{ sku: string; description?: string; quantity: number; unitPrice: number }>;
}

function createSalesOrder(request: OperationRequest, state: ErpState, context: OperationContext): OperationResponse {
  const input = request.body as SalesOrderInput;
  const customer = state.customers.get(input.customerId);
  if (!customer) {
    return unprocessable('unknown-customer', 'Unknown customer',
      `No customer ${input.customerId} exists. Create the customer first (POST /customers) or look up its id by externalRef.`,
      '/body/customerId', 'no such customer');
  }
  if (customer.status === 'inactive') {
    return unprocessable('customer-inactive', 'Customer is inactive',
      `Customer ${customer.id} is inactive and cannot place orders.`, '/body/customerId', 'customer is inactive');
  }
  if (input.externalRef !== undefined) {
    const existing = [...state.salesOrders.values()].find((order) => order.externalRef === input.externalRef);
    if (existing) {
      return problem(409, 'duplicate-external-ref', 'A sales order with this externalRef already exists',
        `Sales order ${existing.id} already carries externalRef "${input.externalRef}"; it was created before. Do not create it again.`,
        { existingId: existing.id, errors: [{ pointer: '/body/externalRef', message: `already used by ${existing.id}` }] });
    }
  }
  const lines: ErpOrderLine[] = input.lines.map((line) => ({
    sku: line.sku,
    ...(line.description !== undefined ? { description: line.description } : {}),
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    lineTotal: line.quantity * line.unitPrice,
  }));
  const total = lines.reduce((sum, line) => sum + line.lineTotal, 0);
  if (!Number.isSafeInteger(total)) {
    return unprocessable('amount-too-large', 'Order total too large', 'The order total exceeds what the ERP can book; split the order.', '/body/lines', 'total too large');
  }
  const order: ErpSalesOrder = {
    id: formatErpId('salesOrder', ++state.sequences.salesOrder),
    customerId: customer.id,
    ...(input.externalRef !== undefined ? { externalRef: input.externalRef } : {}),
    currency: input.currency,
    lines,
    total,
    status: 'open',
    createdAt: iso(context.now()),
  };
  state.salesOrders.set(order.id, order);
  return created(`/sales-orders/${order.id}`, order);
}

// ---------------------------------------------------------------------------------------------
// Invoices

function listInvoices(request: OperationRequest, state: ErpState): OperationResponse {
  const { customerId, orderId, status, updatedSince } = request.query as Record<string, string | undefined>;
  const since = updatedSince === undefined ? undefined : Date.parse(updatedSince);
  const matching = [...state.invoices.values()].filter((invoice) =>
    (customerId === undefined || invoice.customerId === customerId) &&
    (orderId === undefined || invoice.orderId === orderId) &&
    (status === undefined || invoice.status === status) &&
    (since === undefined || Date.parse(invoice.updatedAt) >= since));
  return paginate(matching, request.query);
}

function getInvoice(request: OperationRequest, state: ErpState): OperationResponse {
  const invoice = state.invoices.get(request.params.invoiceId ?? '');
  return invoice ? ok(invoice) : notFound('invoice', request.params.invoiceId);
}

function createInvoice(request: OperationRequest, state: ErpState, context: OperationContext): OperationResponse {
  const input = request.body as { orderId: string; dueDate?: string };
  const order = state.salesOrders.get(input.orderId);
  if (!order) {
    return unprocessable('unknown-order', 'Unknown sales order', `No sales order ${input.orderId} exists.`, '/body/orderId', 'no such sales order');
  }
  if (order.status === 'cancelled') {
    return unprocessable('order-cancelled', 'Sales order is cancelled', `Sales order ${order.id} is cancelled and cannot be invoiced.`, '/body/orderId', 'order is cancelled');
  }
  const existing = [...state.invoices.values()].find((invoice) => invoice.orderId === order.id);
  if (existing) {
    return problem(409, 'order-already-invoiced', 'Sales order already invoiced',
      `Sales order ${order.id} was invoiced as ${existing.id}; an order is invoiced once.`,
      { existingId: existing.id, errors: [{ pointer: '/body/orderId', message: `already invoiced as ${existing.id}` }] });
  }
  const now = context.now();
  const invoice: ErpInvoice = {
    id: formatErpId('invoice', ++state.sequences.invoice),
    orderId: order.id,
    customerId: order.customerId,
    currency: order.currency,
    lines: structuredClone(order.lines),
    amount: order.total,
    amountPaid: 0,
    status: 'open',
    dueDate: input.dueDate ?? iso(now + PAYMENT_TERMS_DAYS * DAY).slice(0, 10),
    createdAt: iso(now),
    updatedAt: iso(now),
  };
  if (invoice.amount === 0) {
    // Nothing to collect: a free order is settled the moment it is invoiced.
    invoice.status = 'paid';
    invoice.paidAt = invoice.createdAt;
  }
  state.invoices.set(invoice.id, invoice);
  order.status = 'invoiced';
  return created(`/invoices/${invoice.id}`, invoice);
}

function updateInvoice(request: OperationRequest, state: ErpState, context: OperationContext): OperationResponse {
  const invoice = state.invoices.get(request.params.invoiceId ?? '');
  if (!invoice) return notFound('invoice', request.params.invoiceId);
  const change = request.body as { amount?: number; status?: 'cancelled' };
  if (change.amount !== undefined && change.status !== undefined) {
    return unprocessable('conflicting-changes', 'Amend or cancel, not both',
      'Send either a new amount or status "cancelled" in one request.', '/body', 'amount and status together');
  }
  if (invoice.status !== 'open') {
    return unprocessable('invoice-not-open', `Invoice is ${invoice.status}`,
      `Invoice ${invoice.id} is ${invoice.status}; only open invoices can be amended or cancelled.`, '/body', `invoice is ${invoice.status}`);
  }
  const now = iso(context.now());
  if (change.status === 'cancelled') {
    if (invoice.amountPaid > 0) {
      return unprocessable('invoice-has-payments', 'Invoice has payments',
        `Invoice ${invoice.id} already has ${invoice.amountPaid} (minor units) paid against it and cannot be cancelled; amend its amount instead.`,
        '/body/status', 'invoice has payments');
    }
    invoice.status = 'cancelled';
    invoice.cancelledAt = now;
  }
  if (change.amount !== undefined) {
    if (change.amount < invoice.amountPaid) {
      return unprocessable('amount-below-paid', 'Amount below what was paid',
        `Invoice ${invoice.id} has ${invoice.amountPaid} (minor units) paid already; the amount cannot go below that.`,
        '/body/amount', `must be at least ${invoice.amountPaid}`);
    }
    invoice.amount = change.amount;
    invoice.amendedAt = now;
    if (invoice.amountPaid === invoice.amount) {
      invoice.status = 'paid';
      invoice.paidAt = now;
    }
  }
  invoice.updatedAt = now;
  return ok(invoice);
}

// ---------------------------------------------------------------------------------------------
// Payments

function listPayments(request: OperationRequest, state: ErpState): OperationResponse {
  const { invoiceId, customerId, reference } = request.query as Record<string, string | undefined>;
  const matching = [...state.payments.values()].filter((payment) =>
    (invoiceId === undefined || payment.invoiceId === invoiceId) &&
    (customerId === undefined || payment.customerId === customerId) &&
    (reference === undefined || payment.reference === reference));
  return paginate(matching, request.query);
}

function getPayment(request: OperationRequest, state: ErpState): OperationResponse {
  const payment = state.payments.get(request.params.paymentId ?? '');
  return payment ? ok(payment) : notFound('payment', request.params.paymentId);
}

interface PaymentInput {
  invoiceId: string;
  amount: number;
  currency: ErpCurrency;
  receivedAt?: string;
  reference: string;
}

function createPayment(request: OperationRequest, state: ErpState, context: OperationContext): OperationResponse {
  const input = request.body as PaymentInput;
  const invoice = state.invoices.get(input.invoiceId);
  if (!invoice) {
    return unprocessable('unknown-invoice', 'Unknown invoice', `No invoice ${input.invoiceId} exists.`, '/body/invoiceId', 'no such invoice');
  }
  if (invoice.status === 'paid') {
    return unprocessable('invoice-already-paid', 'Invoice already paid',
      `Invoice ${invoice.id} is fully paid. If this payment was already posted, do not post it again.`, '/body/invoiceId', 'invoice is already paid');
  }
  if (invoice.status !== 'open') {
    return unprocessable('invoice-not-open', `Invoice is ${invoice.status}`,
      `Invoice ${invoice.id} is ${invoice.status} and takes no payments.`, '/body/invoiceId', `invoice is ${invoice.status}`);
  }
  if (input.currency !== invoice.currency) {
    return unprocessable('currency-mismatch', 'Currency does not match the invoice',
      `Invoice ${invoice.id} is in ${invoice.currency}; the payment is in ${input.currency}. Post payments in the invoice currency.`,
      '/body/currency', `must be ${invoice.currency}`);
  }
  const outstanding = invoice.amount - invoice.amountPaid;
  if (input.amount > outstanding) {
    const response = unprocessable('payment-exceeds-balance', 'Payment exceeds the outstanding balance',
      `Invoice ${invoice.id} has ${outstanding} (minor units, ${invoice.currency}) outstanding; the payment is ${input.amount}.`,
      '/body/amount', `must be at most ${outstanding}`);
    (response.body as Record<string, unknown>).outstanding = outstanding;
    return response;
  }
  const now = iso(context.now());
  const payment: ErpPayment = {
    id: formatErpId('payment', ++state.sequences.payment),
    invoiceId: invoice.id,
    customerId: invoice.customerId,
    amount: input.amount,
    currency: input.currency,
    receivedAt: input.receivedAt ?? now,
    reference: input.reference,
    createdAt: now,
  };
  state.payments.set(payment.id, payment);
  invoice.amountPaid += payment.amount;
  if (invoice.amountPaid === invoice.amount) {
    invoice.status = 'paid';
    invoice.paidAt = now;
  }
  invoice.updatedAt = now;
  return created(`/payments/${payment.id}`, payment);
}

// ---------------------------------------------------------------------------------------------
// Shared response helpers

function ok(record: object): OperationResponse {
  return { status: 200, body: structuredClone(record) };
}

function created(location: string, record: object): OperationResponse {
  return { status: 201, body: structuredClone(record), headers: { location } };
}

function notFound(kind: string, id: string | undefined): OperationResponse {
  return problem(404, 'not-found', `No such ${kind}`, `No ${kind} with id ${id ?? '(none)'} exists.`);
}

function unprocessable(slug: string, title: string, detail: string, pointer: string, message: string): OperationResponse {
  return problem(422, slug, title, detail, { errors: [{ pointer, message }] });
}

function paginate(items: object[], query: Record<string, unknown>): OperationResponse {
  const number = positiveInteger(query.page) ?? 1;
  const limit = Math.min(positiveInteger(query.limit) ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const start = (number - 1) * limit;
  return {
    status: 200,
    body: {
      data: structuredClone(items.slice(start, start + limit)),
      page: { number, limit, totalItems: items.length, totalPages: Math.ceil(items.length / limit) },
    },
  };
}

function positiveInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 1 ? number : undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** One handler per operationId in openapi.yaml. Every write goes through the idempotency store. */
export const erpHandlers: Record<string, OperationHandler<ErpState>> = {
  issueToken,
  listCustomers,
  getCustomer,
  createCustomer: idempotent(createCustomer),
  listSalesOrders,
  getSalesOrder,
  createSalesOrder: idempotent(createSalesOrder),
  listInvoices,
  getInvoice,
  createInvoice: idempotent(createInvoice),
  updateInvoice: idempotent(updateInvoice),
  listPayments,
  getPayment,
  createPayment: idempotent(createPayment),
};
