import type { Random } from '../../../../mock-systems/platform/random.ts';
import type { Json, JsonObject } from './base.ts';

/**
 * The mistakes a contract review meets, each planted into a copy of the base contract at a
 * site the seed picks. A flaw breaks the standard in one place only; the ground truth of a
 * handout is what the governance ruleset reports on it (generate.ts). Hidden with the generator.
 */
export interface Flaw {
  kind: string;
  /** Operations (`get /returns`) or components (`schema Refund`) this flaw may be planted at. */
  sites: string[];
  /** Only one flaw of a family per contract: two security flaws would hide each other. */
  family: string;
  plant(contract: JsonObject, site: string, random: Random): void;
}

type Node = { [key: string]: Json };

function operation(contract: JsonObject, site: string): Node {
  const [method, path] = site.split(' ') as [string, string];
  return ((contract.paths as Node)[path] as Node)[method] as Node;
}

function responses(contract: JsonObject, site: string): Node {
  return operation(contract, site).responses as Node;
}

const COLLECTIONS = ['get /returns', 'get /pickups', 'get /refunds'];
const POSTS = ['post /returns', 'post /returns/{returnId}/cancel', 'post /pickups'];
const ALL = ['get /returns', 'post /returns', 'get /returns/{returnId}', 'post /returns/{returnId}/cancel', 'get /returns/{returnId}/label', 'get /pickups', 'post /pickups', 'get /refunds', 'get /refunds/{refundId}'];
const WITH_PATH_PARAMETER = ALL.filter((site) => site.includes('{'));

const LEGACY_ERROR: JsonObject = {
  type: 'object',
  properties: { code: { type: 'integer' }, message: { type: 'string' } },
};

export const FLAWS: Flaw[] = [
  {
    kind: 'unversioned-server',
    family: 'versioning',
    sites: ['servers'],
    plant(contract) {
      (contract.servers as Node[])[0]!.url = 'https://api.partner.example/returns';
    },
  },
  {
    kind: 'legacy-error-body',
    family: 'errors',
    sites: ALL,
    plant(contract, site) {
      contract.components = { ...(contract.components as Node), schemas: { ...((contract.components as Node).schemas as Node), LegacyError: LEGACY_ERROR } };
      const codes = Object.keys(responses(contract, site)).filter((code) => /^4/.test(code) && code !== '401' && code !== '429');
      for (const code of codes) {
        responses(contract, site)[code] = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/LegacyError' } } } };
      }
    },
  },
  {
    kind: 'page-size-unbounded',
    family: 'paging',
    sites: COLLECTIONS,
    plant(contract, site) {
      operation(contract, site).parameters = [
        { $ref: '#/components/parameters/Cursor' },
        { name: 'limit', in: 'query', required: false, description: 'How many to return; all when absent', schema: { type: 'integer', minimum: 1 } },
      ];
    },
  },
  {
    kind: 'offset-only-paging',
    family: 'paging',
    sites: COLLECTIONS,
    plant(contract, site) {
      operation(contract, site).parameters = [
        { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
        { $ref: '#/components/parameters/Limit' },
      ];
    },
  },
  {
    kind: 'no-paging',
    family: 'paging',
    sites: COLLECTIONS,
    plant(contract, site) {
      delete operation(contract, site).parameters;
    },
  },
  {
    kind: 'post-without-idempotency',
    family: 'idempotency',
    sites: POSTS,
    plant(contract, site) {
      delete operation(contract, site).parameters;
    },
  },
  {
    kind: 'operation-without-security',
    family: 'security',
    sites: ALL,
    plant(contract, site) {
      operation(contract, site).security = [];
    },
  },
  {
    kind: 'undefined-security-scheme',
    family: 'security',
    sites: ALL,
    plant(contract, site, random) {
      operation(contract, site).security = [{ [random.helpers.arrayElement(['partnerKey', 'ApiKey', 'partner_api_key'])]: [] }];
    },
  },
  {
    kind: 'error-in-success',
    family: 'status-in-body',
    sites: ['post /returns/{returnId}/cancel', 'get /returns/{returnId}/label', 'post /pickups'],
    plant(contract, site) {
      const codes = responses(contract, site);
      const success = Object.keys(codes).find((code) => /^2/.test(code))!;
      const original = ((codes[success] as Node).content as Node)['application/json'] as Node;
      codes[success] = {
        description: 'The outcome; check success before reading the result',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['success'],
              properties: { success: { type: 'boolean' }, errorCode: { type: 'string' }, errorMessage: { type: 'string' }, result: original.schema as Json },
            },
          },
        },
      };
      delete codes['409'];
    },
  },
  {
    kind: 'undocumented-statuses',
    family: 'status-documented',
    sites: WITH_PATH_PARAMETER,
    plant(contract, site) {
      const codes = responses(contract, site);
      for (const code of ['401', '404', '429']) delete codes[code];
    },
  },
  {
    kind: 'snake-case-schema',
    family: 'naming-schema',
    sites: ['schema Refund', 'schema ReturnItem', 'schema Pickup'],
    plant(contract, site) {
      const name = site.slice('schema '.length);
      const renamed = name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase() + (name.includes('Item') ? '' : '_record');
      const schemas = (contract.components as Node).schemas as Node;
      (contract.components as Node).schemas = Object.fromEntries(Object.entries(schemas).map(([key, value]) => [key === name ? renamed : key, value]));
      const text = JSON.stringify(contract).replaceAll(`"#/components/schemas/${name}"`, `"#/components/schemas/${renamed}"`);
      Object.assign(contract, JSON.parse(text));
    },
  },
  {
    kind: 'inconsistent-operation-id',
    family: 'naming-operation',
    sites: ALL,
    plant(contract, site, random) {
      const current = operation(contract, site).operationId as string;
      const words = current.replace(/([A-Z])/g, ' $1').toLowerCase().split(' ');
      operation(contract, site).operationId = random.helpers.arrayElement([words.join('_'), words.join('-'), words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('_')]);
    },
  },
];
