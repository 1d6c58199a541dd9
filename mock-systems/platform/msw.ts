import { performance } from 'node:perf_hooks';
import { parse as parseQueryString } from 'node:querystring';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { dispatchRequest, type DispatchOutcome, type IncomingRequest } from './dispatch.ts';
import type { JournalEntry } from './journal.ts';
import type { MockSystem } from './operation.ts';
import { createMockRuntime, type MockRuntime, type MockRuntimeOptions } from './runtime.ts';

/**
 * A mock system as msw request handlers, for unit tests that run offline and in-process
 * (`setupServer(...handlers)` from `msw/node`). Requests go through the same pipeline as the
 * HTTP server (contract validation, authorize, the system's handlers, response validation,
 * fault rules), against the same seeded state, so a test passing here passes against the server.
 */

export interface MswMockOptions extends MockRuntimeOptions {
  /**
   * Where the client sends requests, e.g. `http://crm.test` or `http://localhost/api`. Without
   * it the handlers match the contract's paths on any origin (`*\/contacts`), which is enough
   * as long as no other handler serves the same paths.
   */
  baseUrl?: string;
}

export interface MswMock<State> extends MockRuntime<State> {
  /** Pass these to `setupServer(...)` (or `server.use(...)`). */
  handlers: HttpHandler[];
}

export function createMswHandlers<State>(system: MockSystem<State>, options: MswMockOptions = {}): MswMock<State> {
  const runtime = createMockRuntime(system, options);
  const base = options.baseUrl === undefined ? undefined : parseBaseUrl(options.baseUrl);
  const startedAt = performance.now();

  const serve = (pathOf: (pathname: string) => string) =>
    async ({ request }: { request: Request }): Promise<Response> => {
      const url = new URL(request.url);
      const incoming: IncomingRequest = {
        method: request.method,
        path: pathOf(url.pathname),
        query: { ...parseQueryString(url.search.slice(1)) } as Record<string, string | string[]>,
        headers: Object.fromEntries(request.headers),
        rawBody: new Uint8Array(await request.arrayBuffer()),
      };
      const began = performance.now();
      let entry: JournalEntry | undefined;
      const outcome = await dispatchRequest(runtime, incoming, {
        openEntry: (body) => {
          entry = runtime.journal.open({
            receivedAt: new Date(runtime.clock.now()).toISOString(),
            elapsedMs: round(performance.now() - startedAt),
            method: incoming.method,
            path: incoming.path,
            query: incoming.query,
            headers: incoming.headers,
            body,
          });
          return entry;
        },
        isAbandoned: () => request.signal.aborted,
      });
      const response = await toMswResponse(outcome, request.signal);
      if (entry && response.type !== 'error') {
        entry.status = response.status;
        entry.durationMs = round(performance.now() - began);
      }
      return response;
    };

  const templates = [...new Set(runtime.contract.operations.map((operation) => operation.pathTemplate))];
  const handlers: HttpHandler[] = templates.map((template) => {
    const mswPath = template.replace(/\{([^}]+)\}/g, ':$1');
    if (base) return http.all(`${base.origin}${base.pathname}${mswPath}`, serve((pathname) => pathname.slice(base.pathname.length) || '/'));
    // The wildcard may have swallowed a path prefix (`/api/contacts`); the contract sees only its own path.
    const segments = template.split('/').length - 1;
    return http.all(`*${mswPath}`, serve((pathname) => lastSegments(pathname, segments)));
  });
  if (base) {
    // Everything else under the base URL gets the server's 404 problem rather than escaping to
    // the network. Without a base URL there is no telling which requests are this system's.
    handlers.push(http.all(`${base.origin}${base.pathname}/*`, serve((pathname) => pathname.slice(base.pathname.length) || '/')));
  }

  return {
    system,
    contract: runtime.contract,
    config: runtime.config,
    context: runtime.context,
    get state() {
      return runtime.state;
    },
    journal: runtime.journal,
    faults: runtime.faults,
    clock: runtime.clock,
    reset: (resetOptions) => runtime.reset(resetOptions),
    updateSettings: (changes) => runtime.updateSettings(changes),
    handlers,
  };
}

/**
 * Faults below HTTP have no exact in-process equivalent. A reset, an empty reply and a lost
 * response all become `HttpResponse.error()`, which makes `fetch` reject with a TypeError just
 * as a dropped connection does. A hang waits until the client aborts the request (its timeout
 * or AbortSignal), then errors the same way.
 */
async function toMswResponse(outcome: DispatchOutcome, signal: AbortSignal): Promise<Response> {
  switch (outcome.type) {
    case 'respond': {
      const { status, headers, body } = outcome.response;
      return new HttpResponse(body === undefined ? null : JSON.stringify(body), { status, headers });
    }
    case 'malformed':
      return new HttpResponse(outcome.text, { status: outcome.status, headers: { 'content-type': outcome.contentType } });
    case 'hang':
      await abortOf(signal);
      return HttpResponse.error();
    case 'reset':
    case 'empty':
    case 'lost-response':
    case 'abandoned':
      return HttpResponse.error();
  }
}

function abortOf(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

function parseBaseUrl(baseUrl: string): { origin: string; pathname: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`createMswHandlers: baseUrl must be an absolute URL such as http://crm.test (got ${JSON.stringify(baseUrl)})`);
  }
  return { origin: url.origin, pathname: url.pathname.replace(/\/+$/, '') };
}

function lastSegments(pathname: string, count: number): string {
  const parts = pathname.replace(/\/+$/, '').split('/');
  return '/' + parts.slice(-count).join('/');
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
