import { readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { createSchemaValidator } from './schema-validator.ts';

/**
 * An OpenAPI 3.1 document turned into what the server needs: a route table and compiled
 * validators for every operation's parameters, request bodies and responses. The document is
 * the single source of truth; nothing here knows about any particular system.
 */

export interface Violation {
  /** JSON pointer into the request: `/body/email`, `/query/limit`, `/headers/x-api-key`. */
  pointer: string;
  message: string;
}

export interface Operation {
  operationId: string;
  method: string;
  /** The OpenAPI path template, e.g. `/accounts/{accountId}`. */
  pathTemplate: string;
  /** Request body media types the operation accepts; empty when it takes no body. */
  requestContentTypes: string[];
  bodyRequired: boolean;
  /** Checks path, query and header parameters (coercing them in place) and the body. */
  validateRequest(request: { params: Record<string, unknown>; query: Record<string, unknown>; headers: Record<string, unknown>; body: unknown; contentType?: string }): Violation[];
  /** Checks a response the mock is about to send; returns the violations (none when it conforms). */
  validateResponse(status: number, body: unknown): Violation[];
  /** The media type the contract declares for a status, e.g. `application/problem+json`. */
  responseContentType(status: number): string | undefined;
}

export interface RouteMatch {
  operation: Operation;
  params: Record<string, string>;
}

export interface Contract {
  document: OpenApiDocument;
  operations: Operation[];
  /** Finds the operation for a method and concrete path. `allowed` lists methods when only the path matched. */
  match(method: string, path: string): RouteMatch | { allowed: string[] } | undefined;
}

// Only the parts of OpenAPI 3.1 the mocks use; the full document is kept for the docs page.
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; responses?: Record<string, unknown>; parameters?: Record<string, unknown> };
}
interface ParameterObject { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema?: object }
interface MediaTypeObject { schema?: object }
interface ResponseObject { content?: Record<string, MediaTypeObject> }
interface OperationObject {
  operationId?: string;
  parameters?: Array<ParameterObject | { $ref: string }>;
  requestBody?: { required?: boolean; content?: Record<string, MediaTypeObject> } | { $ref: string };
  responses?: Record<string, ResponseObject | { $ref: string }>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export function loadContract(contractPath: string): Contract {
  let document: OpenApiDocument;
  try {
    document = parseYaml(readFileSync(contractPath, 'utf8')) as OpenApiDocument;
  } catch (error) {
    throw new Error(`Cannot read the contract ${contractPath}: ${(error as Error).message}`);
  }
  if (!document?.openapi?.startsWith('3.1')) {
    throw new Error(`${contractPath}: expected an OpenAPI 3.1 document (found openapi: ${String(document?.openapi)})`);
  }
  return compileContract(document, contractPath);
}

function compileContract(document: OpenApiDocument, source: string): Contract {
  const contractId = `urn:integration-lab:contract:${source}`;
  // Body validation must not coerce (a string is not a number in JSON); parameters arrive as
  // strings, so their validator coerces them to the declared types.
  const bodies = createSchemaValidator({ coerce: false });
  const parameters = createSchemaValidator({ coerce: true });
  for (const validator of [bodies, parameters]) {
    validator.addSchema({ $id: contractId, components: { schemas: document.components?.schemas ?? {} } });
  }
  const absolutize = (schema: unknown): unknown => rewriteRefs(schema, contractId);
  const resolve = <T>(value: T | { $ref: string }): T => resolveRef(document, value) as T;

  const operations: Operation[] = [];
  const routes: Array<{ pattern: RegExp; names: string[]; byMethod: Map<string, Operation> }> = [];

  for (const [pathTemplate, pathItem] of Object.entries(document.paths ?? {})) {
    const names: string[] = [];
    const pattern = new RegExp(
      '^' + pathTemplate.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      }) + '/?$',
    );
    const byMethod = new Map<string, Operation>();
    const sharedParameters = (pathItem.parameters as OperationObject['parameters']) ?? [];

    for (const method of METHODS) {
      const operationObject = pathItem[method] as OperationObject | undefined;
      if (!operationObject) continue;
      const operationId = operationObject.operationId;
      if (!operationId) throw new Error(`${source}: ${method.toUpperCase()} ${pathTemplate} has no operationId`);

      const declared = [...sharedParameters, ...(operationObject.parameters ?? [])].map((p) => resolve<ParameterObject>(p));
      const validateParameters = {
        path: compileParameterGroup(parameters, declared, 'path', absolutize, false),
        query: compileParameterGroup(parameters, declared, 'query', absolutize, true),
        header: compileParameterGroup(parameters, declared, 'header', absolutize, false),
      };

      const requestBody = operationObject.requestBody ? resolve<{ required?: boolean; content?: Record<string, MediaTypeObject> }>(operationObject.requestBody) : undefined;
      const bodyValidators = new Map<string, ValidateFunction>();
      for (const [mediaType, media] of Object.entries(requestBody?.content ?? {})) {
        // Form bodies arrive as strings, so they are validated with coercion like parameters.
        const validator = mediaType === 'application/x-www-form-urlencoded' ? parameters : bodies;
        bodyValidators.set(mediaType, validator.compile(absolutize(media.schema ?? {}) as object));
      }

      const responses = new Map<string, { contentType?: string; validate?: ValidateFunction }>();
      for (const [status, responseRef] of Object.entries(operationObject.responses ?? {})) {
        const response = resolve<ResponseObject>(responseRef);
        const [contentType, media] = Object.entries(response.content ?? {})[0] ?? [];
        responses.set(status.toUpperCase(), {
          contentType,
          validate: media?.schema ? bodies.compile(absolutize(media.schema) as object) : undefined,
        });
      }
      const responseFor = (status: number) =>
        responses.get(String(status)) ?? responses.get(`${String(status)[0]}XX`) ?? responses.get('DEFAULT');

      const operation: Operation = {
        operationId,
        method: method.toUpperCase(),
        pathTemplate,
        requestContentTypes: [...bodyValidators.keys()],
        bodyRequired: requestBody?.required ?? false,
        validateRequest({ params, query, headers, body, contentType }) {
          const violations = [
            ...validateParameters.path(params, '/path'),
            ...validateParameters.query(query, '/query'),
            ...validateParameters.header(headers, '/headers'),
          ];
          if (bodyValidators.size > 0) {
            if (body === undefined) {
              if (requestBody?.required) violations.push({ pointer: '/body', message: 'a request body is required' });
            } else {
              const validate = bodyValidators.get(contentType ?? '') ?? bodyValidators.values().next().value!;
              if (!validate(body)) violations.push(...toViolations(validate.errors, '/body'));
            }
          }
          return violations;
        },
        validateResponse(status, body) {
          const response = responseFor(status);
          if (!response) return [{ pointer: '/status', message: `status ${status} is not declared for ${operationId}` }];
          if (!response.validate) return body === undefined ? [] : [{ pointer: '/body', message: `status ${status} of ${operationId} declares no body` }];
          return response.validate(body) ? [] : toViolations(response.validate.errors, '/body');
        },
        responseContentType: (status) => responseFor(status)?.contentType,
      };
      byMethod.set(operation.method, operation);
      operations.push(operation);
    }
    routes.push({ pattern, names, byMethod });
  }

  return {
    document,
    operations,
    match(method, path) {
      let allowed: string[] | undefined;
      for (const route of routes) {
        const found = route.pattern.exec(path);
        if (!found) continue;
        const operation = route.byMethod.get(method.toUpperCase());
        if (!operation) {
          allowed = [...route.byMethod.keys()];
          continue;
        }
        const params = Object.fromEntries(route.names.map((name, index) => [name, safeDecode(found[index + 1]!)]));
        return { operation, params };
      }
      return allowed ? { allowed } : undefined;
    },
  };
}

type ParameterCheck = (values: Record<string, unknown>, pointerBase: string) => Violation[];

function compileParameterGroup(
  validator: ReturnType<typeof createSchemaValidator>,
  declared: ParameterObject[],
  location: ParameterObject['in'],
  absolutize: (schema: unknown) => unknown,
  rejectUnknown: boolean,
): ParameterCheck {
  const group = declared.filter((parameter) => parameter.in === location);
  // Header names are case-insensitive; Node gives them in lower case.
  const key = (name: string) => (location === 'header' ? name.toLowerCase() : name);
  const schema = {
    type: 'object',
    properties: Object.fromEntries(group.map((parameter) => [key(parameter.name), absolutize(parameter.schema ?? {})])),
    required: group.filter((parameter) => parameter.required || location === 'path').map((parameter) => key(parameter.name)),
    // An unknown query parameter is almost always a typo (`updated_since`); a real API would
    // silently ignore it and leave the trainee wondering why the filter does nothing.
    ...(rejectUnknown ? { additionalProperties: false } : {}),
  };
  const validate = validator.compile(schema);
  return (values, pointerBase) => (validate(values) ? [] : toViolations(validate.errors, pointerBase));
}

export function toViolations(errors: ErrorObject[] | null | undefined, pointerBase: string): Violation[] {
  return (errors ?? []).map((error) => {
    const params = error.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
    if (error.keyword === 'required' && params.missingProperty) {
      return { pointer: `${pointerBase}${error.instancePath}/${params.missingProperty}`, message: 'is required' };
    }
    if (error.keyword === 'additionalProperties' && params.additionalProperty) {
      return { pointer: `${pointerBase}${error.instancePath}/${params.additionalProperty}`, message: 'is not allowed here (unknown field)' };
    }
    if (error.keyword === 'enum' && params.allowedValues) {
      return { pointer: `${pointerBase}${error.instancePath}`, message: describeAllowed(params.allowedValues) };
    }
    return { pointer: `${pointerBase}${error.instancePath}`, message: error.message ?? 'is invalid' };
  });
}

const LISTED_VALUES = 12;

/** Lists the allowed values, or a sample of them when the list is long (e.g. 249 country codes). */
function describeAllowed(values: unknown[]): string {
  const shown = values.slice(0, LISTED_VALUES).map((value) => JSON.stringify(value)).join(', ');
  return values.length <= LISTED_VALUES ? `must be one of: ${shown}` : `must be one of ${values.length} values (${shown}, …; see the contract)`;
}

function rewriteRefs(value: unknown, contractId: string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, contractId));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) =>
        key === '$ref' && typeof inner === 'string' && inner.startsWith('#/') ? [key, contractId + inner] : [key, rewriteRefs(inner, contractId)],
      ),
    );
  }
  return value;
}

function resolveRef(document: OpenApiDocument, value: unknown): unknown {
  let current = value;
  for (let depth = 0; depth < 10 && current && typeof current === 'object' && '$ref' in current; depth++) {
    const ref = (current as { $ref: string }).$ref;
    if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported in contracts (found ${ref})`);
    current = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], document);
    if (current === undefined) throw new Error(`Unresolvable $ref ${ref}`);
  }
  return current;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
