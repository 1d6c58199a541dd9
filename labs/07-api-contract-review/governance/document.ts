/** Reading an OpenAPI document the way the governance rules need it: operations, local $refs. */
export type Node = Record<string, unknown>;

export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

export interface Operation {
  path: string;
  method: string;
  operation: Node;
  /** Path-level parameters, which apply to every operation under the path. */
  pathParameters: unknown[];
}

export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function operationsOf(document: unknown): Operation[] {
  const paths = isNode(document) && isNode(document.paths) ? document.paths : {};
  return Object.entries(paths).flatMap(([path, item]) => {
    if (!isNode(item)) return [];
    const pathParameters = Array.isArray(item.parameters) ? item.parameters : [];
    return METHODS.filter((method) => isNode(item[method])).map((method) => ({ path, method, operation: item[method] as Node, pathParameters }));
  });
}

/** Follows local references (`#/components/...`), at most a few hops; an unresolvable one gives undefined. */
export function deref(document: unknown, value: unknown): unknown {
  let current = value;
  for (let hops = 0; hops < 8 && isNode(current) && typeof current.$ref === 'string'; hops++) {
    const target: string = current.$ref;
    if (!target.startsWith('#/')) return undefined;
    current = fromPointer(target.slice(1)).reduce<unknown>((node, segment) => (isNode(node) ? node[segment] : undefined), document);
  }
  return current;
}

export interface Parameter {
  name: string;
  in: string;
  required: boolean;
  schema: Node;
  deprecated: boolean;
}

/** An operation's parameters with the path's, resolved; the operation's own win on the same name and place. */
export function parametersOf(document: unknown, operation: Operation): Parameter[] {
  const found = new Map<string, Parameter>();
  const own = Array.isArray(operation.operation.parameters) ? operation.operation.parameters : [];
  for (const raw of [...operation.pathParameters, ...own]) {
    const parameter = deref(document, raw);
    if (!isNode(parameter) || typeof parameter.name !== 'string' || typeof parameter.in !== 'string') continue;
    const name = parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name;
    found.set(`${parameter.in}:${name}`, {
      name,
      in: parameter.in,
      required: parameter.required === true,
      schema: isNode(parameter.schema) ? (deref(document, parameter.schema) as Node) ?? {} : {},
      deprecated: parameter.deprecated === true,
    });
  }
  return [...found.values()];
}

/** The JSON schema of a response's or body's application/json content, resolved. */
export function jsonSchemaOf(document: unknown, holder: unknown): Node | undefined {
  const resolved = deref(document, holder);
  if (!isNode(resolved) || !isNode(resolved.content)) return undefined;
  const media = resolved.content['application/json'];
  const schema = isNode(media) ? deref(document, media.schema) : undefined;
  return isNode(schema) ? schema : undefined;
}

/** The keys of a pointer (RFC 6901); the empty pointer, the whole document, has none. */
export function fromPointer(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The pointer (RFC 6901) of a path of keys. */
export function toPointer(segments: ReadonlyArray<string | number>): string {
  return segments.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
