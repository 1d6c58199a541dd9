import { request as httpRequest } from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { jsonOf } from '../../support/http.ts';
import { FaultEngine } from '../../../mock-systems/platform/faults.ts';
import { API_KEY, useNotesServer } from './start-notes.ts';

const { server } = useNotesServer();

beforeEach(() => server().reset());

const list = () => fetch(`${server().url}/notes`, { headers: API_KEY });
const create = (title: string, headers: Record<string, string> = {}) =>
  fetch(`${server().url}/notes`, {
    method: 'POST',
    headers: { ...API_KEY, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ title, author: 'ann@example.com' }),
  });

/** The low-level error a client sees when no HTTP response arrives. */
async function networkError(promise: Promise<Response>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (reason: Error & { cause?: { code?: string } }) => reason,
  );
  expect(error, 'expected the request to fail at the network level').toBeDefined();
  return error!.cause?.code ?? error!.message;
}

describe('faults, as a real HTTP client sees them', () => {
  it('answers 429 with Retry-After and a problem body', async () => {
    server().faults.add({ match: { operationId: 'listNotes' }, action: { type: 'status', status: 429, retryAfterSeconds: 3 } });
    const response = await list();
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect((await jsonOf(response)).status).toBe(429);
  });

  it('never stands in for the answer to an invalid request, which gets its 400 and is not counted', async () => {
    server().faults.add({ match: { operationId: 'createNote' }, trigger: { calls: [1] }, action: { type: 'status', status: 503 } });
    const invalid = await fetch(`${server().url}/notes`, { method: 'POST', headers: { ...API_KEY, 'content-type': 'application/json' }, body: '{"title": 5}' });
    expect(invalid.status).toBe(400);
    expect((await jsonOf(invalid)).type).toMatch(/contract-violation/);
    expect((await create('valid')).status).toBe(503);
  });

  it('fires on the nth call only', async () => {
    server().faults.add({ trigger: { calls: [2] }, action: { type: 'status', status: 503 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await list()).status);
    expect(statuses).toEqual([200, 503, 200]);
  });

  it('counts calls per entity, so the first attempt of every entity fails', async () => {
    server().faults.add({ match: { operationId: 'createNote' }, trigger: { calls: [1], countBy: 'entity' }, action: { type: 'status', status: 500 } });
    const statuses = [];
    for (const title of ['a', 'a', 'b', 'b']) statuses.push((await create(title)).status);
    expect(statuses).toEqual([500, 201, 500, 201]);
  });

  it('counts calls per idempotency key', async () => {
    server().faults.add({ trigger: { calls: [1], countBy: 'idempotency-key' }, match: { operationId: 'createNote' }, action: { type: 'status', status: 503 } });
    const first = await create('x', { 'idempotency-key': 'k1' });
    const retry = await create('x', { 'idempotency-key': 'k1' });
    const other = await create('y', { 'idempotency-key': 'k2' });
    expect([first.status, retry.status, other.status]).toEqual([503, 201, 503]);
  });

  it('stops after `times` firings', async () => {
    server().faults.add({ trigger: { times: 2 }, action: { type: 'status', status: 503 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await list()).status);
    expect(statuses).toEqual([503, 503, 200]);
  });

  it('delays responses by the scripted latency', async () => {
    server().faults.add({ action: { type: 'latency', ms: 150 } });
    const started = performance.now();
    const response = await list();
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(server().journal.list().at(-1)!.fault).toBe('latency:150');
  });

  it('hangs until the client gives up', async () => {
    server().faults.add({ action: { type: 'hang' } });
    const error = await listWithTimeout(200);
    expect(error).toBe('TimeoutError');
    expect(server().journal.list().at(-1)!.status).toBeUndefined();
  });

  it('resets the connection', async () => {
    server().faults.add({ action: { type: 'reset' } });
    expect(await networkError(list())).toBe('ECONNRESET');
  });

  it('closes the connection without a response', async () => {
    server().faults.add({ action: { type: 'empty' } });
    expect(await networkError(list())).toMatch(/UND_ERR_SOCKET|ECONNRESET|other side closed/);
  });

  it('sends a malformed body', async () => {
    server().faults.add({ action: { type: 'malformed' } });
    const response = await list();
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('commits the write and loses the response (the ambiguous failure)', async () => {
    server().faults.add({ match: { operationId: 'createNote' }, trigger: { times: 1 }, action: { type: 'lost-response' } });
    expect(await networkError(create('committed'))).toBe('ECONNRESET');
    expect(server().state.notes.filter((note) => note.title === 'committed')).toHaveLength(1);
    const entry = server().journal.list({ operationId: 'createNote' })[0]!;
    expect(entry.fault).toBe('lost-response');
    expect(entry.responseBody).toMatchObject({ title: 'committed' });
  });

  it('can be scripted over the admin API, and rejects a bad rule with every violation', async () => {
    const admin = `${server().url}/__admin/faults`;
    const bad = await fetch(admin, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: { type: 'explode' }, when: 1 }) });
    expect(bad.status).toBe(400);
    const problem = await jsonOf(bad);
    expect(problem.errors.map((error: { pointer: string }) => error.pointer)).toEqual(expect.arrayContaining(['/when', '/action/type']));

    const added = await fetch(admin, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'slow', action: { type: 'status', status: 503 } }) });
    expect(added.status).toBe(201);
    expect((await list()).status).toBe(503);
    const listed = await jsonOf(fetch(admin));
    expect(listed.faults).toEqual([expect.objectContaining({ id: 'slow', fired: 1 })]);
    expect((await fetch(`${admin}/slow`, { method: 'DELETE' })).status).toBe(204);
    expect((await list()).status).toBe(200);
  });
});

describe('seeded probabilities', () => {
  const pattern = (seed: number) => {
    const engine = new FaultEngine(seed);
    engine.add({ trigger: { probability: 0.3 }, action: { type: 'status', status: 503 } });
    return Array.from({ length: 200 }, () => (engine.decide({ method: 'GET', path: '/x' }).action ? 1 : 0)).join('');
  };

  it('fire the same calls for the same seed, other calls for another seed', () => {
    expect(pattern(7)).toBe(pattern(7));
    expect(pattern(7)).not.toBe(pattern(8));
  });

  it('fire at roughly the given rate', () => {
    const fired = [...pattern(7)].filter((bit) => bit === '1').length;
    expect(fired).toBeGreaterThan(35);
    expect(fired).toBeLessThan(85);
  });

  it('are not shifted by adding another rule', () => {
    const engine = new FaultEngine(7);
    engine.add({ trigger: { probability: 0.3 }, action: { type: 'status', status: 503 } });
    engine.add({ trigger: { probability: 0.5 }, action: { type: 'latency', ms: 1 } });
    const withOther = Array.from({ length: 200 }, () => (engine.decide({ method: 'GET', path: '/x' }).action ? 1 : 0)).join('');
    expect(withOther).toBe(pattern(7));
  });
});

async function listWithTimeout(ms: number): Promise<string> {
  try {
    await fetch(`${server().url}/notes`, { headers: API_KEY, signal: AbortSignal.timeout(ms) });
    return 'answered';
  } catch (error) {
    return (error as Error).name;
  }
}

// Node's fetch pools connections; a raw request proves a reset hits only its own socket.
it('keeps serving other clients after a reset', async () => {
  server().faults.add({ trigger: { calls: [1] }, action: { type: 'reset' } });
  await new Promise<void>((resolve) => {
    const request = httpRequest(`${server().url}/notes`, { headers: API_KEY });
    request.on('error', () => resolve());
    request.end();
  });
  expect((await list()).status).toBe(200);
});
