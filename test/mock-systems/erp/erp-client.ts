import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { erp, type ErpState } from '../../../mock-systems/erp/index.ts';
import { createSchemaValidator } from '../../../mock-systems/platform/schema-validator.ts';
import { startMockServer, type MockServer, type MockServerOptions } from '../../../mock-systems/platform/server.ts';

/** Test helpers for the ERP: a server on an ephemeral port, a token, and JSON calls. */

export const CLIENT_ID = 'lab-client';
export const CLIENT_SECRET = 'lab-secret';

export function startErp(options: MockServerOptions = {}): Promise<MockServer<ErpState>> {
  return startMockServer(erp, { port: 0, ...options });
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: any;
}

export async function call(server: MockServer<ErpState>, method: string, path: string, options: { token?: string; body?: unknown; key?: string; headers?: Record<string, string> } = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.key) headers['idempotency-key'] = options.key;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(server.url + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export async function requestToken(server: MockServer<ErpState>, form: Record<string, string>, headers: Record<string, string> = {}): Promise<CallResult> {
  const response = await fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

export async function token(server: MockServer<ErpState>, clientId = CLIENT_ID, clientSecret = CLIENT_SECRET): Promise<string> {
  const result = await requestToken(server, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  if (result.status !== 200) throw new Error(`token request failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body.access_token as string;
}

/**
 * Validates bodies against the contract's own schemas with a validator built here, independent
 * of the platform's compiled contract.
 */
export function contractSchemas() {
  const document = parseYaml(readFileSync(erp.contractPath, 'utf8'));
  const ajv = createSchemaValidator();
  ajv.addSchema({ $id: 'urn:integration-lab:erp-contract-test', components: { schemas: document.components.schemas } });
  const cache = new Map<string, ReturnType<typeof ajv.compile>>();
  return {
    document,
    /** Returns the violations of `value` against components/schemas/<name>, empty when it conforms. */
    check(name: string, value: unknown): string[] {
      let validate = cache.get(name);
      if (!validate) {
        validate = ajv.compile({ $ref: `urn:integration-lab:erp-contract-test#/components/schemas/${name}` });
        cache.set(name, validate);
      }
      return validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
    },
  };
}
