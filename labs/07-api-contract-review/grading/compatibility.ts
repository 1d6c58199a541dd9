import { deref, isNode, jsonSchemaOf, operationsOf, parametersOf, type Node, type Operation } from '../governance/document.ts';

/**
 * What an existing consumer of the handout would meet in the corrected contract, request side:
 * an operation gone, a parameter it sends gone, a parameter or body field it does not send now
 * required, a body it does not send now required. Response changes and the server URL are left
 * to the migration notes (the brief says so).
 */
export function breakingChanges(before: unknown, after: unknown): string[] {
  const afterOperations = new Map(operationsOf(after).map((operation) => [key(operation), operation]));
  return operationsOf(before).flatMap((old) => {
    const now = afterOperations.get(key(old));
    if (!now) return [`${key(old)}: the operation is gone`];
    return [...parameterChanges(before, old, after, now), ...bodyChanges(before, old, after, now)].map((change) => `${key(old)}: ${change}`);
  });
}

function key(operation: Operation): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}

function parameterChanges(before: unknown, old: Operation, after: unknown, now: Operation): string[] {
  const id = (parameter: { in: string; name: string }) => `${parameter.in} parameter ${parameter.name}`;
  const oldParameters = new Map(parametersOf(before, old).map((parameter) => [id(parameter), parameter]));
  const newParameters = new Map(parametersOf(after, now).map((parameter) => [id(parameter), parameter]));
  const changes: string[] = [];
  for (const name of oldParameters.keys()) if (!newParameters.has(name)) changes.push(`the ${name} is gone, and consumers send it`);
  for (const [name, parameter] of newParameters) {
    const previous = oldParameters.get(name);
    if (parameter.required && !previous?.required) changes.push(`the ${name} is now required, and consumers do not send it`);
  }
  return changes;
}

function bodyChanges(before: unknown, old: Operation, after: unknown, now: Operation): string[] {
  const oldBody = deref(before, old.operation.requestBody);
  const newBody = deref(after, now.operation.requestBody);
  if (!isNode(newBody)) return [];
  if (!isNode(oldBody)) return newBody.required === true ? ['a request body is now required, and consumers send none'] : [];
  const oldRequired = requiredFields(before, oldBody);
  return requiredFields(after, newBody)
    .filter((field) => !oldRequired.includes(field))
    .map((field) => `the request body field ${field} is now required, and consumers do not send it`);
}

function requiredFields(document: unknown, body: Node): string[] {
  const schema = jsonSchemaOf(document, body);
  return schema && Array.isArray(schema.required) ? schema.required.filter((field): field is string => typeof field === 'string') : [];
}
