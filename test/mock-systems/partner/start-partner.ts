import { partner, type PartnerState } from '../../../mock-systems/partner/index.ts';
import { startMockServer, type MockServer, type MockServerOptions } from '../../../mock-systems/platform/server.ts';

export const PARTNER_KEY = 'partner-dev-key';

/** A partner without its default faults and rate limit, unless the test asks for them. */
export function startPartner(options: MockServerOptions = {}): Promise<MockServer<PartnerState>> {
  return startMockServer(partner, { port: 0, faults: [], ...options, settings: { rateLimitPerSecond: 0, ...options.settings } });
}

export function client(server: () => MockServer<PartnerState>, key = PARTNER_KEY) {
  async function call(method: string, path: string, body?: unknown) {
    const response = await fetch(server().url + path, {
      method,
      headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }
  return {
    book: (body: unknown) => call('POST', '/shipments', body),
    get: (path: string) => call('GET', path),
  };
}
