import type { JournalEntry } from './journal.ts';
import { MAX_JSON_DEPTH, exceedsDepth } from './json-depth.ts';
import type { OperationRequest, OperationResponse } from './operation.ts';
import { PROBLEM_CONTENT_TYPE, problem } from './problem.ts';
import type { MockRuntime } from './runtime.ts';

/**
 * The request pipeline of a mock system, free of any transport: route by the contract, validate
 * the request, apply fault rules, authorize, run the handler and validate its response.
 * The HTTP server and the msw adapter feed it the same parsed request and turn the outcome into
 * their own kind of response, so both serve exactly the same behaviour.
 */

/** A request as it arrived, before the contract has looked at it. */
export interface IncomingRequest {
  method: string;
  /** The URL path as sent (not decoded), without the query string. */
  path: string;
  /** Query parameters as a URL query parser gives them: repeated names become arrays. */
  query: Record<string, string | string[]>;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  rawBody: Uint8Array;
}

/**
 * What the transport must do. `respond` carries the final status, headers (with the content
 * type when there is a body) and body; the others are faults below HTTP that each transport
 * renders as close to the wire as it can.
 */
export type DispatchOutcome =
  | { type: 'respond'; response: OperationResponse }
  /** Never answer. */
  | { type: 'hang' }
  /** Reset the connection without a response. */
  | { type: 'reset' }
  /** Close the connection without sending a byte. */
  | { type: 'empty' }
  /** A 200 with a JSON body cut off mid-document. */
  | { type: 'malformed'; status: 200; contentType: string; text: string }
  /** The handler ran and its effects are committed; the response is lost (connection reset). */
  | { type: 'lost-response' }
  /** The client went away while an injected delay ran; nothing is left to answer. */
  | { type: 'abandoned' };

export interface DispatchHooks {
  /** Records the request in the journal (the transport fills in status and timing). */
  openEntry(body: unknown): JournalEntry;
  /** True once the client has gone away (checked after an injected delay). */
  isAbandoned(): boolean;
}

export const MALFORMED_BODY = '{"data":[{"id":';
const MOCK_FAULT_DETAIL = 'This is a fault in the mock, not in your client. Please report it.';

export async function dispatchRequest<State>(runtime: MockRuntime<State>, incoming: IncomingRequest, hooks: DispatchHooks): Promise<DispatchOutcome> {
  const { system, contract, faults, context } = runtime;
  const contentType = mediaTypeOf(incoming.headers);
  const parsed = parseBody(incoming.rawBody, contentType);
  const entry = hooks.openEntry(parsed.ok ? parsed.value : Buffer.from(incoming.rawBody).toString('utf8'));

  if (!parsed.ok) {
    return respond(problem(400, 'malformed-body', 'The request body could not be parsed', parsed.error));
  }
  const found = contract.match(incoming.method, incoming.path);
  if (!found) {
    return respond(problem(404, 'no-such-route', 'No such route', `${incoming.method} ${incoming.path} is not part of the ${system.title} API. See /docs/ for the operations it offers.`));
  }
  if ('allowed' in found) {
    const refusal = problem(405, 'method-not-allowed', 'Method not allowed', `${incoming.path} supports ${found.allowed.join(', ')}.`);
    return respond({ ...refusal, headers: { allow: found.allowed.join(', '), ...refusal.headers } });
  }

  const { operation } = found;
  const request: OperationRequest = {
    operationId: operation.operationId,
    method: operation.method,
    path: incoming.path,
    params: found.params,
    query: { ...incoming.query },
    headers: { ...incoming.headers },
    body: parsed.value,
  };
  entry.operationId = operation.operationId;
  entry.entity = safely(() => system.entityOf?.(request));

  // A request the contract refuses gets its own answer, never an injected fault: faults script
  // the failures of a service that understood the request.
  if (incoming.rawBody.length > 0 && operation.requestContentTypes.length > 0 && !operation.requestContentTypes.includes(contentType)) {
    return respond(problem(415, 'unsupported-media-type', 'Unsupported media type', `Send the body as ${operation.requestContentTypes.join(' or ')} (got ${contentType || 'no content type'}).`));
  }
  const violations = operation.validateRequest({ params: request.params, query: request.query, headers: request.headers, body: request.body, contentType });
  if (violations.length > 0) {
    return respond(problem(400, 'contract-violation', 'The request does not match the API contract', `${violations.length} problem(s) found; see errors.`, { errors: violations }), operation);
  }
  const decision = faults.decide({
    operationId: operation.operationId,
    method: operation.method,
    path: incoming.path,
    entity: entry.entity,
    idempotencyKey: request.headers['idempotency-key'],
  });
  if (decision.applied.length > 0) entry.fault = decision.applied.join(',');
  if (decision.delayMs > 0) await delay(decision.delayMs);
  if (hooks.isAbandoned()) return { type: 'abandoned' };

  const action = decision.action;
  if (action?.type === 'status') {
    const injected = problem(action.status, 'injected-fault', statusTitle(action.status), faultDetail(action.status));
    const retryAfter: Record<string, string> = action.retryAfterSeconds === undefined ? {} : { 'retry-after': String(action.retryAfterSeconds) };
    return respond({ ...injected, headers: { ...retryAfter, ...injected.headers } });
  }
  if (action?.type === 'hang' || action?.type === 'reset' || action?.type === 'empty') return { type: action.type };
  if (action?.type === 'malformed') {
    return { type: 'malformed', status: 200, contentType: 'application/json; charset=utf-8', text: MALFORMED_BODY };
  }

  const state = runtime.state;
  const refusal = system.authorize?.(request, state, context);
  if (refusal) return respond(refusal, operation);

  let response: OperationResponse;
  try {
    response = await system.handlers[operation.operationId]!(request, state, context);
  } catch {
    response = problem(500, 'mock-internal-error', 'The mock system failed', MOCK_FAULT_DETAIL);
  }
  const responseViolations = operation.validateResponse(response.status, response.body);
  if (responseViolations.length > 0) {
    // The mock never answers off-contract: a broken handler is reported as a mock fault.
    response = problem(500, 'response-contract-violation', 'The mock produced a response outside its contract', MOCK_FAULT_DETAIL, { errors: responseViolations });
  }
  runtime.journal.recordResponse(entry, response.body);
  if (action?.type === 'lost-response') {
    // The write has committed; the client never learns it.
    entry.status = undefined;
    return { type: 'lost-response' };
  }
  return respond(response, operation);
}

/** The body's media type without parameters, in lower case (`application/json`). */
export function mediaTypeOf(headers: Record<string, string>): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

type ParsedBody = { ok: true; value: unknown } | { ok: false; error: string };

export function parseBody(raw: Uint8Array, contentType: string): ParsedBody {
  if (raw.length === 0) return { ok: true, value: undefined };
  const text = Buffer.from(raw).toString('utf8');
  if (contentType === 'application/json' || contentType.endsWith('+json')) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { ok: false, error: `Malformed JSON: ${(error as Error).message}` };
    }
    if (exceedsDepth(value)) return { ok: false, error: `The JSON nests deeper than ${MAX_JSON_DEPTH} levels; no operation takes a body that deep.` };
    return { ok: true, value };
  }
  if (contentType === 'application/x-www-form-urlencoded') {
    return { ok: true, value: Object.fromEntries(new URLSearchParams(text)) };
  }
  return { ok: true, value: text };
}

/**
 * Settles the content type: the one the handler set, else the one the contract declares for
 * the status, else problem+json for errors and JSON otherwise.
 */
function respond(response: OperationResponse, operation?: { responseContentType(status: number): string | undefined }): DispatchOutcome {
  if (response.body === undefined) return { type: 'respond', response };
  const contentType =
    response.headers?.['content-type'] ?? operation?.responseContentType(response.status) ?? (response.status >= 400 ? PROBLEM_CONTENT_TYPE : 'application/json');
  return { type: 'respond', response: { ...response, headers: { ...response.headers, 'content-type': contentType } } };
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

/** A scripted 4xx is about the request, as a real one would be; only 408, 429 and 5xx invite a retry. */
function faultDetail(status: number): string {
  return status < 500 && status !== 408 && status !== 429 ? 'The service refused the request.' : 'The service is failing; this may be transient.';
}
