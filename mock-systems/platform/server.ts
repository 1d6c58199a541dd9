import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createAdminRouter } from './admin.ts';
import { createClock, type Clock } from './clock.ts';
import { loadContract, type Contract } from './contract.ts';
import { createDocsRouter } from './docs.ts';
import { FaultEngine, type FaultRuleInput } from './faults.ts';
import { Journal, maskSecrets, type JournalEntry } from './journal.ts';
import type { MockSystem, OperationContext, OperationRequest, OperationResponse, SystemConfig } from './operation.ts';
import { problem } from './problem.ts';
import { createRandom } from './random.ts';
import { send } from './respond.ts';

export interface MockServerOptions {
  seed?: number;
  /** Number of primary records the system generates. */
  size?: number;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  credentials?: Record<string, string>;
  settings?: Record<string, unknown>;
  /** Fault rules installed at start; defaults to the system's own `defaultFaults`. */
  faults?: FaultRuleInput[];
  journalLimit?: number;
  bodyLimitBytes?: number;
}

export interface MockServer<State = unknown> {
  system: MockSystem<State>;
  url: string;
  host: string;
  port: number;
  config: SystemConfig;
  readonly state: State;
  journal: Journal;
  faults: FaultEngine;
  clock: Clock;
  contract: Contract;
  /** Regenerates the seeded state and clears journal and faults (the start faults come back). */
  reset(options?: { seed?: number; size?: number }): void;
  close(): Promise<void>;
}

export const DEFAULT_SEED = 1;
export const DEFAULT_SIZE = 50;
const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Serves one mock system over HTTP: its contract's routes, the admin API and the API docs. */
export async function startMockServer<State>(system: MockSystem<State>, options: MockServerOptions = {}): Promise<MockServer<State>> {
  const contract = loadContract(system.contractPath);
  const missing = contract.operations.filter((operation) => !system.handlers[operation.operationId]);
  if (missing.length > 0) {
    throw new Error(`${system.name}: no handler for ${missing.map((operation) => operation.operationId).join(', ')}`);
  }

  const config: SystemConfig = {
    seed: options.seed ?? DEFAULT_SEED,
    size: options.size ?? DEFAULT_SIZE,
    credentials: { ...system.defaults.credentials, ...options.credentials },
    settings: { ...system.defaults.settings, ...options.settings },
  };
  const startFaults = options.faults ?? system.defaultFaults ?? [];
  const clock = createClock();
  const journal = new Journal(options.journalLimit);
  const faults = new FaultEngine(config.seed);
  const createState = () => system.createState(config, (stream) => createRandom(config.seed, `${system.name}:${stream}`));
  let state = createState();
  const installStartFaults = () => startFaults.forEach((rule) => faults.add(rule));
  installStartFaults();

  const context: OperationContext = { now: () => clock.now(), config };
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const startedAt = performance.now();

  const server: MockServer<State> = {
    system,
    url: '',
    host: '',
    port: 0,
    config,
    get state() {
      return state;
    },
    journal,
    faults,
    clock,
    contract,
    reset(resetOptions = {}) {
      config.seed = resetOptions.seed ?? config.seed;
      config.size = resetOptions.size ?? config.size;
      state = createState();
      journal.clear();
      faults.clear(config.seed);
      installStartFaults();
    },
    async close() {
      httpServer.closeAllConnections();
      httpServer.close();
      await once(httpServer, 'close');
    },
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/openapi.json', (_req, res) => {
    res.json(contract.document);
  });
  app.use('/docs', createDocsRouter(system.title));
  app.use('/__admin', express.json({ limit: bodyLimit }), createAdminRouter(server));
  if (!contract.match('GET', '/')) {
    app.get('/', (_req, res) => {
      res.json({ system: system.name, title: system.title, docs: '/docs/', contract: '/openapi.json', admin: '/__admin' });
    });
  }
  app.use(express.raw({ type: () => true, limit: bodyLimit }));
  app.use((req, res, next) => {
    serveOperation(req, res).catch(next);
  });
  app.use((error: Error & { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction) => {
    // Errors raised before our handler saw the request (oversized or unreadable bodies) are
    // journaled here so graders still see the attempt.
    if (!res.locals.entry) openEntry(req, res, undefined);
    if (res.headersSent) return void res.end();
    const response =
      error.type === 'entity.too.large' ? problem(413, 'body-too-large', 'Request body too large', `Bodies are limited to ${bodyLimit} bytes.`)
      : error.status && error.status < 500 ? problem(error.status, 'bad-request', 'Bad request', error.message)
      : problem(500, 'mock-internal-error', 'The mock system failed', 'This is a fault in the mock, not in your client. Please report it.');
    send(res, response);
  });

  function openEntry(req: Request, res: Response, body: unknown): JournalEntry {
    const entry = journal.open({
      receivedAt: new Date(clock.now()).toISOString(),
      elapsedMs: round(performance.now() - startedAt),
      method: req.method,
      path: req.path,
      query: req.query as Record<string, string | string[]>,
      headers: flattenHeaders(req.headers),
      body,
    });
    res.locals.entry = entry;
    const began = performance.now();
    res.on('finish', () => {
      entry.status = res.statusCode;
      entry.durationMs = round(performance.now() - began);
    });
    return entry;
  }

  async function serveOperation(req: Request, res: Response): Promise<void> {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const parsed = parseBody(raw, contentType);
    const entry = openEntry(req, res, parsed.ok ? parsed.value : raw.toString('utf8'));

    if (!parsed.ok) {
      return send(res, problem(400, 'malformed-body', 'The request body could not be parsed', parsed.error));
    }
    const found = contract.match(req.method, req.path);
    if (!found) {
      return send(res, problem(404, 'no-such-route', 'No such route', `${req.method} ${req.path} is not part of the ${system.title} API. See /docs/ for the operations it offers.`));
    }
    if ('allowed' in found) {
      res.setHeader('allow', found.allowed.join(', '));
      return send(res, problem(405, 'method-not-allowed', 'Method not allowed', `${req.path} supports ${found.allowed.join(', ')}.`));
    }

    const { operation } = found;
    const request: OperationRequest = {
      operationId: operation.operationId,
      method: operation.method,
      path: req.path,
      params: found.params,
      query: { ...(req.query as Record<string, unknown>) },
      headers: flattenHeaders(req.headers),
      body: parsed.value,
    };
    entry.operationId = operation.operationId;
    entry.entity = safely(() => system.entityOf?.(request));

    const decision = faults.decide({
      operationId: operation.operationId,
      method: operation.method,
      path: req.path,
      entity: entry.entity,
      idempotencyKey: request.headers['idempotency-key'],
    });
    if (decision.applied.length > 0) entry.fault = decision.applied.join(',');
    if (decision.delayMs > 0) await delay(decision.delayMs);
    if (res.destroyed) return;

    const action = decision.action;
    if (action?.type === 'status') {
      if (action.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(action.retryAfterSeconds));
      return send(res, problem(action.status, 'injected-fault', statusTitle(action.status), 'The service is failing; this may be transient.'));
    }
    if (action?.type === 'hang') return; // the response stays open until the client gives up
    if (action?.type === 'reset') return void req.socket.resetAndDestroy();
    if (action?.type === 'empty') return void req.socket.destroySoon();
    if (action?.type === 'malformed') {
      res.status(200).type('application/json').end('{"data":[{"id":');
      return;
    }

    if (raw.length > 0 && operation.requestContentTypes.length > 0 && !operation.requestContentTypes.includes(contentType)) {
      return send(res, problem(415, 'unsupported-media-type', 'Unsupported media type', `Send the body as ${operation.requestContentTypes.join(' or ')} (got ${contentType || 'no content type'}).`));
    }
    const violations = operation.validateRequest({ params: request.params, query: request.query, headers: request.headers, body: request.body, contentType });
    if (violations.length > 0) {
      return send(res, problem(400, 'contract-violation', 'The request does not match the API contract', `${violations.length} problem(s) found; see errors.`, { errors: violations }), operation);
    }
    const refusal = system.authorize?.(request, state, context);
    if (refusal) return send(res, refusal, operation);

    let response: OperationResponse;
    try {
      response = await system.handlers[operation.operationId]!(request, state, context);
    } catch {
      response = problem(500, 'mock-internal-error', 'The mock system failed', 'This is a fault in the mock, not in your client. Please report it.');
    }
    const responseViolations = operation.validateResponse(response.status, response.body);
    if (responseViolations.length > 0) {
      // The mock never answers off-contract: a broken handler is reported as a mock fault.
      response = problem(500, 'response-contract-violation', 'The mock produced a response outside its contract', 'This is a fault in the mock, not in your client. Please report it.', { errors: responseViolations });
    }
    entry.responseBody = maskSecrets(response.body);
    if (action?.type === 'lost-response') {
      // The write has committed; the client never learns it.
      entry.status = undefined;
      return void req.socket.resetAndDestroy();
    }
    send(res, response, operation);
  }

  const httpServer = app.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(httpServer, 'listening');
  // Keep-alive sockets would otherwise hold close() open until their timeout.
  httpServer.keepAliveTimeout = 5_000;
  const address = httpServer.address() as AddressInfo;
  server.host = address.address;
  server.port = address.port;
  server.url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return server;
}

type ParsedBody = { ok: true; value: unknown } | { ok: false; error: string };

function parseBody(raw: Buffer, contentType: string): ParsedBody {
  if (raw.length === 0) return { ok: true, value: undefined };
  const text = raw.toString('utf8');
  if (contentType === 'application/json' || contentType.endsWith('+json')) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (error) {
      return { ok: false, error: `Malformed JSON: ${(error as Error).message}` };
    }
  }
  if (contentType === 'application/x-www-form-urlencoded') {
    return { ok: true, value: Object.fromEntries(new URLSearchParams(text)) };
  }
  return { ok: true, value: text };
}

function flattenHeaders(headers: Request['headers']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, Array.isArray(value) ? value.join(', ') : value]])),
  );
}

function statusTitle(status: number): string {
  const titles: Record<number, string> = { 429: 'Too many requests', 500: 'Internal server error', 502: 'Bad gateway', 503: 'Service unavailable', 504: 'Gateway timeout' };
  return titles[status] ?? `Error ${status}`;
}

function safely<T>(compute: () => T): T | undefined {
  try {
    return compute();
  } catch {
    return undefined;
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (ms: number) => Math.round(ms * 1000) / 1000;
