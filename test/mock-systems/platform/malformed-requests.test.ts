import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crm } from '../../../mock-systems/crm/index.ts';
import { erp } from '../../../mock-systems/erp/index.ts';
import { partner } from '../../../mock-systems/partner/index.ts';
import { UNPARSEABLE } from '../../../mock-systems/platform/client-error.ts';
import type { MockSystem } from '../../../mock-systems/platform/operation.ts';
import { startMockServer, type MockServer } from '../../../mock-systems/platform/server.ts';
import { sendRaw, type RawResponse } from '../../support/raw-http.ts';

/**
 * What a trainee's client (or a hostile one) can throw at a mock system: every request here is
 * wrong in its own way, from the JSON down to the bytes on the socket. Each must get a 4xx
 * problem+json, and the server must go on serving the next request.
 */

const SYSTEMS = [
  { system: crm, key: { 'X-API-Key': 'crm-dev-key' }, read: '/contacts?limit=1', write: '/contacts' },
  { system: erp, key: {}, read: '/customers?limit=1', write: '/customers' },
  { system: partner, key: { 'X-API-Key': 'partner-dev-key' }, read: '/shipments?limit=1', write: '/shipments' },
] as const;

interface Target {
  url: string;
  host: string;
  read: string;
  write: string;
  /** Header lines that authenticate, where a system takes an API key. */
  auth: string;
}

const nest = (levels: number, open: string, close: string, inner = '1') => open.repeat(levels) + inner + close.repeat(levels);
const post = (target: Target, body: string | Buffer, contentType = 'application/json', extra = '') =>
  Buffer.concat([
    Buffer.from(`POST ${target.write} HTTP/1.1\r\nHost: ${target.host}\r\n${target.auth}Content-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n`),
    Buffer.isBuffer(body) ? body : Buffer.from(body),
  ]);
const get = (target: Target, path: string, headers = '') => `GET ${path} HTTP/1.1\r\nHost: ${target.host}\r\n${target.auth}${headers}Connection: close\r\n\r\n`;

/** 35 kinds of malformed request, each a function of the system it is sent to. */
const MALFORMED: Array<[kind: string, request: (target: Target) => string | Buffer]> = [
  // JSON bodies
  ['arrays nested 5,000 levels deep', (t) => post(t, nest(5000, '[', ']'))],
  ['objects nested 5,000 levels deep', (t) => post(t, nest(5000, '{"a":', '}'))],
  ['objects nested 100,000 levels deep', (t) => post(t, nest(100_000, '{"a":', '}'))],
  ['JSON one level deeper than the limit', (t) => post(t, nest(65, '[', ']'))],
  ['a body over the size limit', (t) => post(t, `{"name":"${'x'.repeat(2 * 1024 * 1024)}"}`)],
  ['JSON cut off mid-document', (t) => post(t, '{"name": "Ann", "email": ')],
  ['invalid UTF-8 bytes in a JSON body', (t) => post(t, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]))],
  ['NUL bytes as a JSON body', (t) => post(t, Buffer.alloc(64))],
  ['a JSON string where an object belongs', (t) => post(t, '"just a string"')],
  ['a lone UTF-16 surrogate and an unknown field', (t) => post(t, '{"\\ud800": "\\udfff", "zz": "\\u0000"}')],
  ['a __proto__ key in the body', (t) => post(t, '{"__proto__": {"admin": true}}')],
  ['an object of 50,000 unknown keys', (t) => post(t, JSON.stringify(Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]))))],
  ['a body that is not the declared media type', (t) => post(t, '<xml/>', 'text/xml')],
  ['an empty JSON body', (t) => post(t, '')],
  // URLs and query strings
  ['dot-dot path traversal', (t) => get(t, '/../../../etc/passwd')],
  ['percent-encoded path traversal', (t) => get(t, '/%2e%2e/%2e%2e/etc/passwd')],
  ['an encoded NUL in a path segment', (t) => get(t, `${t.write}/%00`)],
  ['an invalid percent-encoding', (t) => get(t, `${t.write}/%zz%`)],
  ['raw UTF-8 in the request line', (t) => get(t, `${t.write}/Ä\u{1F600}`)],
  ['fullwidth unicode in an id', (t) => get(t, `${t.write}/%EF%BC%A3-%EF%BC%91`)],
  ['a 12 KB path', (t) => get(t, `/${'a'.repeat(12 * 1024)}`)],
  ['5,000 query parameters', (t) => get(t, `${t.read}&${Array.from({ length: 5000 }, (_, i) => `p${i}=1`).join('&')}`)],
  ['prototype pollution through the query', (t) => get(t, `${t.read}&__proto__[admin]=1&constructor[prototype][x]=1`)],
  // Headers
  ['one header over 16 KB', (t) => get(t, t.read, `X-Big: ${'b'.repeat(20 * 1024)}\r\n`)],
  ['2,000 small headers', (t) => get(t, t.read, Array.from({ length: 2000 }, (_, i) => `X-H${i}: value-${i}\r\n`).join(''))],
  ['a CR inside a header value', (t) => get(t, t.read, 'X-Bad: one\rtwo\r\n')],
  ['a NUL inside a header value', (t) => get(t, t.read, 'X-Bad: one\u0000two\r\n')],
  ['a header name that is not a token', (t) => get(t, t.read, 'X Bad(): value\r\n')],
  ['an obsolete folded header line', (t) => get(t, t.read, 'X-Folded: one\r\n two\r\n')],
  // Framing
  ['two different Content-Lengths', (t) => post(t, '{}', 'application/json', 'Content-Length: 5\r\n')],
  ['Content-Length beside chunked Transfer-Encoding', (t) => post(t, '{}', 'application/json', 'Transfer-Encoding: chunked\r\n')],
  ['a Content-Length that is not a number', (t) => `POST ${t.write} HTTP/1.1\r\nHost: ${t.host}\r\nContent-Type: application/json\r\nContent-Length: abc\r\nConnection: close\r\n\r\n{}`],
  ['an invalid chunk size', (t) => `POST ${t.write} HTTP/1.1\r\nHost: ${t.host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`],
  ['a request line with a space in the path', (t) => `GET /contacts /etc HTTP/1.1\r\nHost: ${t.host}\r\n\r\n`],
  ['an unknown method and HTTP version', (t) => `BR3W ${t.read} HTTP/7.3\r\nHost: ${t.host}\r\n\r\n`],
];

describe.each(SYSTEMS)('malformed requests to the $system.name mock', ({ system, key, read, write }) => {
  let server: MockServer;
  let target: Target;
  beforeAll(async () => {
    server = await startMockServer(system as MockSystem<unknown>, { port: 0, faults: [], settings: system === partner ? { rateLimitPerSecond: 0 } : {} });
    const auth = Object.entries(key).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    target = { url: server.url, host: `${server.host}:${server.port}`, read, write, auth };
  });
  afterAll(async () => {
    await server?.close();
  });

  it('has 35 kinds to send', () => {
    expect(new Set(MALFORMED.map(([kind]) => kind)).size).toBe(35);
  });

  it.each(MALFORMED)('%s: a 4xx problem+json, and the server keeps serving', async (_kind, request) => {
    const response = await sendRaw(target.url, request(target));
    expectProblem(response);
    const next = await fetch(target.url + read, { headers: key });
    // The ERP wants a token: a 401 problem still shows the server answering its contract.
    expect(next.status).toBe(system === erp ? 401 : 200);
  });

  it('journals the unparseable requests it refused', () => {
    expect(server.journal.count({ method: UNPARSEABLE })).toBeGreaterThan(5);
  });
});

function expectProblem(response: RawResponse): void {
  expect(response.status, response.body.slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(response.body) as { status: number; type: string; title: string };
  expect(body.status).toBe(response.status);
  expect(body.type).toMatch(/^https:\/\//);
  expect(body.title).toEqual(expect.any(String));
}
