import type { MockServer } from '../../../mock-systems/platform/server.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createErpState, erp, type ErpState } from '../../../mock-systems/erp/index.ts';
import { createRandom } from '../../../mock-systems/platform/random.ts';
import { CLIENT_ID, CLIENT_SECRET, call, requestToken, startErp, token } from './erp-client.ts';

let server: MockServer<ErpState>;

beforeAll(async () => {
  server = await startErp({ seed: 11, size: 20 });
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => server.reset());

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('POST /oauth/token', () => {
  it('issues a bearer token for client credentials in the form body', async () => {
    const result = await requestToken(server, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9]{40}$/), token_type: 'Bearer', expires_in: 300 });
    expect(result.headers.get('cache-control')).toBe('no-store');
  });

  it('accepts HTTP Basic client authentication', async () => {
    const result = await requestToken(server, { grant_type: 'client_credentials' }, { authorization: basic(CLIENT_ID, CLIENT_SECRET) });
    expect(result.status).toBe(200);
    expect(result.body.token_type).toBe('Bearer');
  });

  it('draws tokens from the seeded stream: same seed, same tokens', async () => {
    const first = [await token(server), await token(server)];
    server.reset();
    expect([await token(server), await token(server)]).toEqual(first);
    expect(first[0]).not.toBe(first[1]);
  });

  it.each([
    ['a wrong secret', { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: 'nope' }],
    ['an unknown client', { grant_type: 'client_credentials', client_id: 'someone', client_secret: CLIENT_SECRET }],
    ['no client authentication', { grant_type: 'client_credentials' }],
  ])('answers 401 invalid_client for %s', async (_, form) => {
    const result = await requestToken(server, form);
    expect(result.status).toBe(401);
    expect(result.body.error).toBe('invalid_client');
    expect(result.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('answers 401 invalid_client for wrong Basic credentials', async () => {
    const result = await requestToken(server, { grant_type: 'client_credentials' }, { authorization: basic(CLIENT_ID, 'wrong') });
    expect(result.status).toBe(401);
    expect(result.body.error).toBe('invalid_client');
  });

  it('answers 400 unsupported_grant_type for another grant', async () => {
    const result = await requestToken(server, { grant_type: 'password', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(result.status).toBe(400);
    expect(result.body.error).toBe('unsupported_grant_type');
  });

  it('answers 400 invalid_request without grant_type or with two client authentications', async () => {
    const missing = await requestToken(server, { client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');
    const twice = await requestToken(server, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET }, { authorization: basic(CLIENT_ID, CLIENT_SECRET) });
    expect(twice.status).toBe(400);
    expect(twice.body.error).toBe('invalid_request');
    expect(twice.body.error_description).toMatch(/one way only/);
  });

  it('honours credentials given at start', async () => {
    const custom = await startErp({ credentials: { clientId: 'grader', clientSecret: 's3cret' } });
    try {
      expect((await requestToken(custom, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET })).status).toBe(401);
      const accessToken = await token(custom, 'grader', 's3cret');
      expect((await call(custom, 'GET', '/customers', { token: accessToken })).status).toBe(200);
    } finally {
      await custom.close();
    }
  });
});

describe('bearer tokens on the API', () => {
  it('answers 401 problem+json without a token, with a bare Bearer challenge', async () => {
    const response = await fetch(`${server.url}/customers`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="erp"');
    expect(((await response.json()) as { detail: string }).detail).toMatch(/POST \/oauth\/token/);
  });

  it.each([
    ['an unknown token', 'Bearer not-a-token-we-issued'],
    ['a malformed header', 'Token abc'],
  ])('answers 401 invalid_token for %s', async (_, authorization) => {
    const result = await call(server, 'GET', '/customers', { headers: { authorization } });
    expect(result.status).toBe(401);
    expect(result.headers.get('www-authenticate')).toMatch(/^Bearer realm="erp", error="invalid_token"/);
    expect(result.body.type).toMatch(/invalid-token$/);
  });

  it('accepts a token until it expires, then answers 401 invalid_token (clock advanced, no sleeping)', async () => {
    const accessToken = await token(server);
    expect((await call(server, 'GET', '/customers', { token: accessToken })).status).toBe(200);
    server.clock.advance(299_000);
    expect((await call(server, 'GET', '/customers', { token: accessToken })).status).toBe(200);
    server.clock.advance(1_000);
    const expired = await call(server, 'GET', '/customers', { token: accessToken });
    expect(expired.status).toBe(401);
    expect(expired.body.title).toBe('Access token expired');
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
    // A fresh token works again.
    expect((await call(server, 'GET', '/customers', { token: await token(server) })).status).toBe(200);
  });

  it('expires tokens when the clock is moved through the admin API too', async () => {
    const accessToken = await token(server);
    const moved = await fetch(`${server.url}/__admin/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 301_000 }),
    });
    expect(moved.status).toBe(200);
    expect((await call(server, 'GET', '/invoices', { token: accessToken })).status).toBe(401);
  });

  it('uses settings.tokenTtlSeconds for the lifetime', async () => {
    const short = await startErp({ settings: { tokenTtlSeconds: 5 } });
    try {
      const result = await requestToken(short, { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
      expect(result.body.expires_in).toBe(5);
      short.clock.advance(5_000);
      expect((await call(short, 'GET', '/payments', { token: result.body.access_token })).status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('refuses a nonsensical token lifetime at start with a clear message', () => {
    const config = { seed: 1, size: 1, credentials: erp.defaults.credentials, settings: { tokenTtlSeconds: -3 } };
    expect(() => createErpState(config, (stream) => createRandom(1, `erp:${stream}`))).toThrow(/tokenTtlSeconds must be a positive whole number/);
  });

  it('keeps token values and client secrets out of the snapshot and the journal', async () => {
    const accessToken = await token(server);
    await call(server, 'GET', '/customers', { token: accessToken });
    const snapshot = JSON.stringify(await (await fetch(`${server.url}/__admin/state`)).json());
    expect(snapshot).not.toContain(accessToken);
    expect(snapshot).not.toContain(CLIENT_SECRET);
    expect(JSON.parse(snapshot).tokensIssued).toBe(1);
    const journal = JSON.stringify(await (await fetch(`${server.url}/__admin/requests`)).json());
    expect(journal).not.toContain(CLIENT_SECRET);
  });
});
