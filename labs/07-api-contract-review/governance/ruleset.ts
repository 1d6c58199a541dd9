import spectralCore, { type RulesetDefinition } from '@stoplight/spectral-core';
import { deref, isNode, jsonSchemaOf, operationsOf, parametersOf, type Node, type Operation } from './document.ts';

/**
 * The API governance catalogue of the review (lab 07's brief lists it): one Spectral rule per
 * standard, each with the id, severity and description a finding names. Every rule reads the
 * unresolved document and reports the pointer of the thing to change, so a finding's pointer
 * can be compared with what the rule says.
 */
const { createRulesetFunction } = spectralCore;

type Violation = { message: string; path: Array<string | number> };

/** A rule over the whole document, reporting its own paths. */
function documentRule(check: (document: Node) => Violation[]) {
  return createRulesetFunction<unknown, null>({ input: null, options: null }, (document) => (isNode(document) ? check(document) : []));
}

const operationPath = ({ path, method }: Operation) => ['paths', path, method];

/** A collection read: a GET on a path that does not end in a path parameter, whose 200 answer is a list, bare or as `items`. */
function isCollectionRead(document: Node, operation: Operation): boolean {
  if (operation.method !== 'get' || /\}$/.test(operation.path)) return false;
  const responses = isNode(operation.operation.responses) ? operation.operation.responses : {};
  const schema = jsonSchemaOf(document, responses['200']);
  if (!schema) return false;
  const items = isNode(schema.properties) ? deref(document, schema.properties.items) : undefined;
  return schema.type === 'array' || (isNode(items) && items.type === 'array');
}

function responsesOf(operation: Operation): Node {
  return isNode(operation.operation.responses) ? operation.operation.responses : {};
}

const ERROR_FIELDS = ['error', 'errors', 'errorCode', 'errorMessage', 'success'];

export const GOVERNANCE_RULES = {
  'versioned-server-url': {
    description: 'Every server URL ends in the major version (`…/v1`), so a breaking change can ship beside the old version instead of over it.',
    severity: 'error',
    check: (document: Node): Violation[] =>
      (Array.isArray(document.servers) ? document.servers : []).flatMap((server, index) =>
        isNode(server) && typeof server.url === 'string' && !/\/v[0-9]+$/.test(server.url)
          ? [{ message: `server ${server.url} has no major version at the end`, path: ['servers', index, 'url'] }]
          : [],
      ),
  },
  'problem-details-errors': {
    description: 'Every 4xx and 5xx response is `application/problem+json` (RFC 9457), one error model for every operation.',
    severity: 'error',
    check: (document: Node): Violation[] =>
      operationsOf(document).flatMap((operation) =>
        Object.entries(responsesOf(operation)).flatMap(([code, response]) => {
          if (!/^[45]/.test(code)) return [];
          const resolved = deref(document, response);
          const types = isNode(resolved) && isNode(resolved.content) ? Object.keys(resolved.content) : [];
          return types.some((type) => type !== 'application/problem+json')
            ? [{ message: `${operation.method.toUpperCase()} ${operation.path} answers ${code} as ${types.join(', ')}`, path: [...operationPath(operation), 'responses', code] }]
            : [];
        }),
      ),
  },
  'bounded-page-size': {
    description: 'Every collection read (a GET on a path not ending in a path parameter that answers a list) takes a `limit` query parameter with a `maximum`, so no caller can ask for everything at once.',
    severity: 'error',
    check: (document: Node): Violation[] =>
      operationsOf(document)
        .filter((operation) => isCollectionRead(document, operation))
        .flatMap((operation) => {
          const limit = parametersOf(document, operation).find((parameter) => parameter.in === 'query' && parameter.name === 'limit');
          if (limit && typeof limit.schema.maximum === 'number') return [];
          return [{ message: `${operation.path} ${limit ? 'has no maximum for limit' : 'has no limit'}`, path: operationPath(operation) }];
        }),
  },
  'cursor-pagination': {
    description: 'Every collection read pages with an opaque `cursor` query parameter (and `nextCursor` in the answer), not with offsets alone, so pages stay stable while records are added.',
    severity: 'warn',
    check: (document: Node): Violation[] =>
      operationsOf(document)
        .filter((operation) => isCollectionRead(document, operation))
        .filter((operation) => !parametersOf(document, operation).some((parameter) => parameter.in === 'query' && parameter.name === 'cursor'))
        .map((operation) => ({ message: `${operation.path} pages without a cursor`, path: operationPath(operation) })),
  },
  'idempotency-key-on-post': {
    description: 'Every POST accepts an `Idempotency-Key` header, so a caller can retry a write whose answer was lost without doing it twice.',
    severity: 'error',
    check: (document: Node): Violation[] =>
      operationsOf(document)
        .filter((operation) => operation.method === 'post')
        .filter((operation) => !parametersOf(document, operation).some((parameter) => parameter.in === 'header' && parameter.name === 'idempotency-key'))
        .map((operation) => ({ message: `POST ${operation.path} takes no Idempotency-Key`, path: operationPath(operation) })),
  },
  'operation-security-defined': {
    description: 'Every operation is covered by a security requirement, and every scheme a requirement names is defined in `components.securitySchemes`.',
    severity: 'error',
    check: (document: Node): Violation[] => {
      const schemes = isNode(document.components) && isNode(document.components.securitySchemes) ? document.components.securitySchemes : {};
      return operationsOf(document).flatMap((operation) => {
        const requirements = operation.operation.security ?? document.security;
        const list = Array.isArray(requirements) ? requirements : [];
        const names = list.flatMap((requirement) => (isNode(requirement) ? Object.keys(requirement) : []));
        const undefinedName = names.find((name) => !(name in schemes));
        if (list.length === 0 || list.some((requirement) => isNode(requirement) && Object.keys(requirement).length === 0)) {
          return [{ message: `${operation.method.toUpperCase()} ${operation.path} can be called without credentials`, path: operationPath(operation) }];
        }
        return undefinedName ? [{ message: `${operation.method.toUpperCase()} ${operation.path} names the undefined scheme ${undefinedName}`, path: operationPath(operation) }] : [];
      });
    },
  },
  'no-error-in-success': {
    description: 'A 2xx answer never reports a failure (`success`, `error`, `errorCode`…): failures are 4xx or 5xx with problem details.',
    severity: 'error',
    check: (document: Node): Violation[] =>
      operationsOf(document).flatMap((operation) =>
        Object.entries(responsesOf(operation)).flatMap(([code, response]) => {
          if (!/^2/.test(code)) return [];
          const schema = jsonSchemaOf(document, response);
          const fields = schema && isNode(schema.properties) ? Object.keys(schema.properties).filter((field) => ERROR_FIELDS.includes(field)) : [];
          return fields.length > 0 ? [{ message: `${operation.path} reports ${fields.join(', ')} in a ${code}`, path: [...operationPath(operation), 'responses', code] }] : [];
        }),
      ),
  },
  'error-responses-documented': {
    description: 'Every operation documents the gateway\'s 401 and 429, and one with a path parameter its 404, so callers can handle every status they will get.',
    severity: 'warn',
    check: (document: Node): Violation[] =>
      operationsOf(document).flatMap((operation) => {
        const responses = responsesOf(operation);
        const needed = ['401', '429', ...(parametersOf(document, operation).some((parameter) => parameter.in === 'path') ? ['404'] : [])];
        const missing = needed.filter((code) => !(code in responses));
        return missing.length > 0 ? [{ message: `${operation.method.toUpperCase()} ${operation.path} does not document ${missing.join(', ')}`, path: [...operationPath(operation), 'responses'] }] : [];
      }),
  },
  'schema-names-pascal-case': {
    description: 'Schema names in `components.schemas` are PascalCase (`ReturnRequest`), as the generated clients name their types.',
    severity: 'warn',
    check: (document: Node): Violation[] => {
      const schemas = isNode(document.components) && isNode(document.components.schemas) ? document.components.schemas : {};
      return Object.keys(schemas)
        .filter((name) => !/^[A-Z][a-zA-Z0-9]*$/.test(name))
        .map((name) => ({ message: `schema ${name} is not PascalCase`, path: ['components', 'schemas', name] }));
    },
  },
  'operation-id-camel-case': {
    description: 'Every operation has an `operationId` in camelCase (`listReturns`), the method name in every generated client.',
    severity: 'warn',
    check: (document: Node): Violation[] =>
      operationsOf(document)
        .filter((operation) => typeof operation.operation.operationId !== 'string' || !/^[a-z][a-zA-Z0-9]*$/.test(operation.operation.operationId))
        .map((operation) => ({ message: `${operation.method.toUpperCase()} ${operation.path} has operationId ${JSON.stringify(operation.operation.operationId)}`, path: [...operationPath(operation), 'operationId'] })),
  },
} as const;

export type RuleId = keyof typeof GOVERNANCE_RULES;
export type Severity = 'error' | 'warn';
export const RULE_IDS = Object.keys(GOVERNANCE_RULES) as RuleId[];

export function severityOf(rule: RuleId): Severity {
  return GOVERNANCE_RULES[rule].severity;
}

/** The catalogue as a Spectral ruleset. */
export const governanceRuleset: RulesetDefinition = {
  rules: Object.fromEntries(
    Object.entries(GOVERNANCE_RULES).map(([id, rule]) => [
      id,
      { description: rule.description, message: '{{error}}', severity: rule.severity, given: '$', resolved: false, then: { function: documentRule(rule.check) } },
    ]),
  ),
};
