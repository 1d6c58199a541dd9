import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createAdminRouter } from './admin.ts';
import { requireAdminToken } from './admin-token.ts';
import type { Clock } from './clock.ts';
import type { Contract } from './contract.ts';
import { answerUnparseableRequests, UNPARSEABLE } from './client-error.ts';
import { dispatchRequest } from './dispatch.ts';
import { createDocsRouter } from './docs.ts';
import type { FaultEngine } from './faults.ts';
import type { Journal, JournalEntry } from './journal.ts';
import { exceedsDepth, MAX_JSON_DEPTH } from './json-depth.ts';
import type { MockSystem, SystemConfig } from './operation.ts';
import { problem } from './problem.ts';
import { send } from './respond.ts';
import { createMockRuntime, type MockRuntimeOptions } from './runtime.ts';

export interface MockServerOptions extends MockRuntimeOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  bodyLimitBytes?: number;
  /**
   * When set, every `/__admin` request must carry `Authorization: Bearer <token>`. The grader
   * sets a fresh one per run and never gives it to the submission, so a submission cannot read
   * the fault plan, clear the journal or reset the data through the URLs it is given.
   */
  adminToken?: string;
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
  /** Regenerates the seeded state and clears journal and faults (the start faults and settings come back). */
  reset(options?: { seed?: number; size?: number }): void;
  /** Changes settings of the running system; throws a RangeError naming what is allowed. */
  updateSettings(changes: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

export { DEFAULT_SEED, DEFAULT_SIZE } from './runtime.ts';
const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Serves one mock system over HTTP: its contract's routes, the admin API and the API docs. */
export async function startMockServer<State>(system: MockSystem<State>, options: MockServerOptions = {}): Promise<MockServer<State>> {
  const runtime = createMockRuntime(system, options);
  const { contract, config, journal, faults, clock } = runtime;
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const startedAt = performance.now();

  const server: MockServer<State> = {
    system,
    url: '',
    host: '',
    port: 0,
    config,
    get state() {
      return runtime.state;
    },
    journal,
    faults,
    clock,
    contract,
    reset: (resetOptions) => runtime.reset(resetOptions),
    updateSettings: (changes) => runtime.updateSettings(changes),
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
  app.use(
    '/__admin',
    requireAdminToken(options.adminToken, (req, res) => openEntry(req, res, undefined)),
    express.json({ limit: bodyLimit }),
    refuseDeepJson,
    createAdminRouter(server, (req, res) => openEntry(req, res, req.body)),
  );
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
      // The full path, also for requests seen inside a mounted router (the admin API).
      path: req.baseUrl + req.path,
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
    const incoming = { method: req.method, path: req.path, query: req.query as Record<string, string | string[]>, headers: flattenHeaders(req.headers), rawBody: raw };
    const outcome = await dispatchRequest(runtime, incoming, {
      openEntry: (body) => openEntry(req, res, body),
      isAbandoned: () => res.destroyed,
    });
    switch (outcome.type) {
      case 'respond':
        return send(res, outcome.response);
      case 'hang':
        return; // the response stays open until the client gives up
      case 'reset':
      case 'lost-response':
        return void req.socket.resetAndDestroy();
      case 'empty':
        return void req.socket.destroySoon();
      case 'malformed':
        res.status(outcome.status).setHeader('content-type', outcome.contentType);
        return void res.end(outcome.text);
      case 'abandoned':
        return;
    }
  }

  const httpServer = app.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  answerUnparseableRequests(httpServer, (status) => {
    const entry = journal.open({
      receivedAt: new Date(clock.now()).toISOString(),
      elapsedMs: round(performance.now() - startedAt),
      method: UNPARSEABLE,
      path: UNPARSEABLE,
      query: {},
      headers: {},
      body: undefined,
    });
    entry.status = status;
  });
  await once(httpServer, 'listening');
  // Keep-alive sockets would otherwise hold close() open until their timeout.
  httpServer.keepAliveTimeout = 5_000;
  const address = httpServer.address() as AddressInfo;
  server.host = address.address;
  server.port = address.port;
  server.url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return server;
}

/** Admin bodies are walked by the fault-rule validator and the journal: too deep is refused, not walked. */
function refuseDeepJson(req: Request, res: Response, next: NextFunction): void {
  if (!exceedsDepth(req.body)) return next();
  send(res, problem(400, 'malformed-body', 'The request body could not be parsed', `The JSON nests deeper than ${MAX_JSON_DEPTH} levels; no admin command takes a body that deep.`));
}

function flattenHeaders(headers: Request['headers']): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, Array.isArray(value) ? value.join(', ') : value]])),
  );
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
