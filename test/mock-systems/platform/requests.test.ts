import { beforeEach, describe, expect, it } from 'vitest';
import { API_KEY, useNotesServer } from './start-notes.ts';

const { server } = useNotesServer({ bodyLimitBytes: 2048 });

beforeEach(() => server().reset());

async function call(path: string, init: RequestInit = {}) {
  const response = await fetch(server().url + path, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { ...API_KEY, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('requests checked against the contract', () => {
  it('serves a valid request, coercing query parameters to their declared types', async () => {
    const { status, body } = await call('/notes?limit=2', { headers: API_KEY });
    expect(status).toBe(200);
    expect(body.data).toHaveLength(2);
  });

  it('lists every violation of a bad body as a JSON pointer and a message', async () => {
    const { status, headers, body } = await call('/notes', json({ title: '', author: 'not-an-email', color: 'red' }));
    expect(status).toBe(400);
    expect(headers.get('content-type')).toBe('application/problem+json');
    const pointers = body.errors.map((error: { pointer: string }) => error.pointer).sort();
    expect(pointers).toEqual(['/body/author', '/body/color', '/body/title']);
  });

  it('reports missing required fields and bad parameters together', async () => {
    const { status, body } = await call('/notes?limit=0&colour=blue', { headers: API_KEY });
    expect(status).toBe(400);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { pointer: '/query/limit', message: expect.stringContaining('>= 1') },
        { pointer: '/query/colour', message: 'is not allowed here (unknown field)' },
      ]),
    );
    const missing = await call('/notes', json({}));
    expect(missing.body.errors).toEqual(
      expect.arrayContaining([
        { pointer: '/body/title', message: 'is required' },
        { pointer: '/body/author', message: 'is required' },
      ]),
    );
  });

  it('validates path parameters', async () => {
    const { status, body } = await call('/notes/xyz', { headers: API_KEY });
    expect(status).toBe(400);
    expect(body.errors[0].pointer).toBe('/path/noteId');
  });

  it('answers malformed JSON with a problem, not a crash', async () => {
    const { status, body } = await call('/notes', { method: 'POST', headers: { ...API_KEY, 'content-type': 'application/json' }, body: '{"title": ' });
    expect(status).toBe(400);
    expect(body.type).toMatch(/malformed-body$/);
    expect(body.detail).toMatch(/Malformed JSON/);
  });

  it('refuses a body of the wrong media type with 415', async () => {
    const { status, body } = await call('/notes', { method: 'POST', headers: { ...API_KEY, 'content-type': 'text/plain' }, body: 'hello' });
    expect(status).toBe(415);
    expect(body.detail).toMatch(/application\/json/);
  });

  it('refuses an oversized body with 413 and still journals it', async () => {
    const { status } = await call('/notes', json({ title: 'x'.repeat(5000), author: 'a@example.com' }));
    expect(status).toBe(413);
    expect(server().journal.list({ status: 413 })).toHaveLength(1);
  });

  it('answers unknown routes with 404 and wrong methods with 405 and Allow', async () => {
    const unknown = await call('/nothing-here', { headers: API_KEY });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/\/docs\//);
    const wrongMethod = await call('/notes/N-1', { method: 'DELETE', headers: API_KEY });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('lets the system refuse unauthenticated requests after validation', async () => {
    const { status, body } = await call('/notes');
    expect(status).toBe(401);
    expect(body.detail).toMatch(/X-API-Key/);
  });

  it('never sends a response that breaks the contract', async () => {
    const { status, body } = await call('/broken', { headers: API_KEY });
    expect(status).toBe(500);
    expect(body.type).toMatch(/response-contract-violation$/);
  });

  it('keeps serving after every kind of bad input', async () => {
    await call('/notes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '\u0000\u0001' });
    await call('/%E0%A4%A', { headers: API_KEY });
    const { status } = await call('/notes', { headers: API_KEY });
    expect(status).toBe(200);
    expect(server().journal.count()).toBe(3);
  });
});

describe('what a server offers besides the API', () => {
  it('serves its contract and interactive docs', async () => {
    const contract = await call('/openapi.json');
    expect(contract.body.openapi).toBe('3.1.0');
    const docs = await fetch(`${server().url}/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('SwaggerUIBundle');
    const bundle = await fetch(`${server().url}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
  });

  it('generates the same data from the same seed', async () => {
    const first = structuredClone(server().state);
    server().reset({ seed: 2 });
    const other = structuredClone(server().state);
    server().reset({ seed: 1 });
    expect(server().state).toEqual(first);
    expect(other).not.toEqual(first);
  });
});
