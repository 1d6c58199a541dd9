import { beforeEach, describe, expect, it } from 'vitest';
import { jsonOf } from '../../support/http.ts';
import { createAdminClient } from '../../../mock-systems/platform/admin-client.ts';
import { Journal } from '../../../mock-systems/platform/journal.ts';
import { API_KEY, useNotesServer } from './start-notes.ts';

const { server } = useNotesServer();

beforeEach(() => server().reset());

const admin = (path: string, init?: RequestInit) => fetch(`${server().url}/__admin${path}`, init);

describe('the request journal', () => {
  it('records method, path, query, headers with secrets masked, body, status and timing', async () => {
    await fetch(`${server().url}/notes`, {
      method: 'POST',
      headers: { ...API_KEY, 'content-type': 'application/json', authorization: 'Bearer abc.def', 'idempotency-key': 'k-1' },
      body: JSON.stringify({ title: 'hello', author: 'ann@example.com' }),
    });
    await fetch(`${server().url}/notes?limit=1`, { headers: API_KEY });
    const { requests } = await jsonOf(admin('/requests'));
    expect(requests).toHaveLength(2);
    const [post, get] = requests;
    expect(post).toMatchObject({
      method: 'POST',
      path: '/notes',
      operationId: 'createNote',
      status: 201,
      entity: 'hello',
      body: { title: 'hello', author: 'ann@example.com' },
      responseBody: expect.objectContaining({ id: 'N-6' }),
    });
    expect(post.headers['x-api-key']).toBe('***');
    expect(post.headers.authorization).toBe('Bearer ***');
    expect(post.headers['idempotency-key']).toBe('k-1');
    expect(JSON.stringify(requests)).not.toContain('notes-key');
    expect(get.query).toEqual({ limit: '1' });
    expect(get.elapsedMs).toBeGreaterThanOrEqual(post.elapsedMs);
    expect(typeof post.durationMs).toBe('number');
    expect(Date.parse(post.receivedAt)).not.toBeNaN();
  });

  it('filters and counts over HTTP', async () => {
    const mark = server().journal.lastId;
    for (let i = 0; i < 3; i++) await fetch(`${server().url}/notes`, { headers: API_KEY });
    await fetch(`${server().url}/notes/N-1`, { headers: API_KEY });
    await fetch(`${server().url}/notes`);
    const count = async (query: string) => (await jsonOf(admin(`/requests/count?${query}`))).count;
    expect(await count('operationId=listNotes')).toBe(4);
    expect(await count('status=401')).toBe(1);
    expect(await count('path=/notes/*')).toBe(1);
    expect(await count(`method=get&since=${mark + 3}`)).toBe(2);
    expect((await admin('/requests?status=abc')).status).toBe(400);
  });

  it('lists in pages, oldest first, with the since of the next page', async () => {
    const mark = server().journal.lastId;
    for (let i = 0; i < 5; i++) await fetch(`${server().url}/notes`, { headers: API_KEY });
    const ids = (page: { requests: Array<{ id: number }> }) => page.requests.map((entry) => entry.id);
    const first = await jsonOf(admin(`/requests?limit=2&since=${mark}`));
    expect(ids(first)).toEqual([mark + 1, mark + 2]);
    expect(first.nextSince).toBe(mark + 2);
    const last = await jsonOf(admin(`/requests?limit=3&since=${mark + 2}`));
    expect(ids(last)).toEqual([mark + 3, mark + 4, mark + 5]);
    expect(last.nextSince).toBeUndefined();
    expect((await admin('/requests?limit=0')).status).toBe(400);
    expect((await admin('/requests?limit=1001')).status).toBe(400);
  });

  it('answers a listing without a limit with one page of 100', async () => {
    for (let i = 0; i < 120; i++) await fetch(`${server().url}/notes/N-1`, { headers: API_KEY });
    const page = await jsonOf(admin('/requests'));
    expect(page.requests).toHaveLength(100);
    expect(page.nextSince).toBe(page.requests.at(-1).id);
    const everything = await createAdminClient(server().url).requests({ operationId: 'getNote' });
    expect(everything).toHaveLength(120);
  });

  it('is cleared by DELETE', async () => {
    await fetch(`${server().url}/notes`, { headers: API_KEY });
    expect((await admin('/requests', { method: 'DELETE' })).status).toBe(204);
    expect((await jsonOf(admin('/requests/count'))).count).toBe(0);
  });

  it('stays within its bound, dropping the oldest entries', () => {
    const journal = new Journal(3);
    for (let i = 0; i < 5; i++) journal.open({ receivedAt: '', elapsedMs: i, method: 'GET', path: `/${i}`, query: {}, headers: {}, body: undefined });
    expect(journal.list().map((entry) => entry.path)).toEqual(['/2', '/3', '/4']);
    expect(journal.truncated).toBe(true);
  });

  it('counts the entries it dropped until it is cleared, so a grader knows what it cannot see', async () => {
    const journal = new Journal(3);
    for (let i = 0; i < 5; i++) journal.open({ receivedAt: '', elapsedMs: i, method: 'GET', path: `/${i}`, query: {}, headers: {}, body: undefined });
    expect(journal.droppedCount).toBe(2);
    journal.clear();
    expect([journal.droppedCount, journal.truncated]).toEqual([0, false]);
    await fetch(`${server().url}/notes`, { headers: API_KEY });
    expect(await createAdminClient(server().url).droppedRequests()).toBe(0);
    expect(await jsonOf(admin('/requests'))).toMatchObject({ truncated: false, dropped: 0 });
  });

  it('keeps a large body as its size only, and stays within its byte bound', () => {
    const journal = new Journal();
    const big = { items: 'x'.repeat(900 * 1024) };
    const first = journal.open({ receivedAt: '', elapsedMs: 0, method: 'POST', path: '/0', query: {}, headers: {}, body: big });
    expect(first.body).toEqual({ journalTruncated: true, bytes: JSON.stringify(big).length });
    const small = { items: 'y'.repeat(60 * 1024) };
    for (let i = 1; i <= 1500; i++) journal.open({ receivedAt: '', elapsedMs: i, method: 'POST', path: `/${i}`, query: {}, headers: {}, body: small });
    // 1,500 bodies of 60 KiB are 88 MiB: the oldest went, the newest are whole.
    expect(journal.truncated).toBe(true);
    expect(journal.list().length).toBeLessThan(1500);
    expect(journal.list().at(-1)).toMatchObject({ path: '/1500', body: small });
  });

  it('drops the oldest entry in constant time once full', () => {
    const journal = new Journal(1000);
    for (let i = 0; i < 5000; i++) journal.open({ receivedAt: '', elapsedMs: i, method: 'GET', path: `/${i}`, query: {}, headers: {}, body: undefined });
    const paths = journal.list().map((entry) => entry.path);
    expect(paths).toHaveLength(1000);
    expect(paths[0]).toBe('/4000');
    expect(paths.at(-1)).toBe('/4999');
    expect(journal.count({ since: 4990 })).toBe(10);
  });

  it('counts response bodies against the byte bound and keeps a large one as its size', () => {
    const journal = new Journal(100, 200 * 1024);
    const answer = { items: 'z'.repeat(50 * 1024) };
    for (let i = 0; i < 10; i++) {
      const entry = journal.open({ receivedAt: '', elapsedMs: i, method: 'GET', path: `/${i}`, query: {}, headers: {}, body: undefined });
      journal.recordResponse(entry, answer);
    }
    expect(journal.heldBytes).toBeLessThanOrEqual(200 * 1024);
    expect(journal.list().length).toBeLessThan(10);
    const entry = journal.open({ receivedAt: '', elapsedMs: 0, method: 'GET', path: '/big', query: {}, headers: {}, body: undefined });
    journal.recordResponse(entry, { items: 'z'.repeat(100 * 1024) });
    expect(entry.responseBody).toEqual({ journalTruncated: true, bytes: 100 * 1024 + 12 });
  });

  it('masks a deeply nested body without walking all of it, and keeps one too deep to serialise as a marker', () => {
    const journal = new Journal();
    const nest = (levels: number) => {
      let deep: unknown = { token: 'secret' };
      for (let i = 0; i < levels; i++) deep = { inner: deep };
      return deep;
    };
    const entry = journal.open({ receivedAt: '', elapsedMs: 0, method: 'POST', path: '/deep', query: {}, headers: {}, body: nest(1000) });
    expect(JSON.stringify(entry.body)).toContain('[nested too deep]');
    expect(JSON.stringify(entry.body)).not.toContain('secret');
    const deeper = journal.open({ receivedAt: '', elapsedMs: 0, method: 'POST', path: '/deeper', query: {}, headers: {}, body: nest(100_000) });
    expect(deeper.body).toEqual({ journalTruncated: true });
  });

  it('masks credentials in bodies, such as an OAuth2 token request', () => {
    const journal = new Journal();
    const entry = journal.open({
      receivedAt: '', elapsedMs: 0, method: 'POST', path: '/oauth/token', query: {}, headers: {},
      body: { grant_type: 'client_credentials', client_id: 'lab', client_secret: 's3cret' },
    });
    expect(entry.body).toEqual({ grant_type: 'client_credentials', client_id: 'lab', client_secret: '***' });
  });
});

describe('the admin API', () => {
  it('lists its commands', async () => {
    const index = await jsonOf(admin(''));
    expect(Object.keys(index.endpoints)).toContain('POST /__admin/faults');
  });

  it('answers unknown commands with a problem that points to the list', async () => {
    const response = await admin('/explode', { method: 'POST' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect((await jsonOf(response)).detail).toMatch(/GET \/__admin lists/);
    expect(server().journal.list({ path: '/__admin/explode' })).toEqual([expect.objectContaining({ method: 'POST', status: 404 })]);
  });

  it('answers malformed admin JSON with a 400 problem', async () => {
    const response = await admin('/faults', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('shows the state, resets it from a seed and advances the clock', async () => {
    const before = await jsonOf(admin('/state'));
    expect(before.notes).toHaveLength(5);
    await fetch(`${server().url}/notes`, {
      method: 'POST',
      headers: { ...API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'new', author: 'ann@example.com' }),
    });
    expect((await jsonOf(admin('/state'))).notes).toHaveLength(6);
    expect((await admin('/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"size": 3}' })).status).toBe(204);
    expect((await jsonOf(admin('/state'))).notes).toHaveLength(3);
    expect((await admin('/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"size": -1}' })).status).toBe(400);

    const before2 = server().clock.now();
    const moved = await jsonOf(admin('/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advanceMs": 3600000}' }));
    expect(Date.parse(moved.now) - before2).toBeGreaterThanOrEqual(3_600_000);
    expect((await admin('/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advanceMs": -5}' })).status).toBe(400);
  });

  it('freezes the clock so that only an advance moves it, until a reset', async () => {
    const post = (body: string) => admin('/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const frozen = Date.parse((await jsonOf(post('{"freeze": true}'))).now);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server().clock.now()).toBe(frozen);
    expect(Date.parse((await jsonOf(post('{"advanceMs": 1000}'))).now)).toBe(frozen + 1000);
    expect(server().clock.now()).toBe(frozen + 1000);
    expect((await post('{"freeze": false}')).status).toBe(400);
    expect((await post('{}')).status).toBe(400);
    expect((await admin('/reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(204);
    const afterReset = server().clock.now();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server().clock.now()).toBeGreaterThan(afterReset);
  });
});
