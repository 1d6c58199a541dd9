import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { LineCounter, parseDocument } from 'yaml';
import type { ServiceName } from '../environment/environment.ts';
import { LabFileError } from './lab-file-error.ts';
import { nearestName } from './nearest-name.ts';

export type EntryKind = 'command' | 'module' | 'sql' | 'answers';

export interface LabEntry {
  kind: EntryKind;
  /** argv for `command` entries, run in the submission folder. */
  command?: string[];
  /** Module path for `module` entries, relative to the submission folder. */
  module?: string;
  /** Exported function name for `module` entries. */
  export?: string;
  /** File for `sql` and `answers` entries, relative to the submission folder. */
  file?: string;
}

/** A lab's `lab.yaml`, after validation. */
export interface LabManifest {
  id: string;
  title: string;
  summary: string;
  skills: string[];
  services: ServiceName[];
  entry: LabEntry;
  timeLimitSeconds: number;
  outputLimitBytes: number;
  /** Resource limits of one run; defaults in grader/runner/limits.ts. */
  memoryLimitMb?: number;
  processLimit?: number;
  workspaceLimitMb?: number;
  openFilesLimit?: number;
  points: number;
  difficulty: 'beginner' | 'intermediate' | 'advanced';
  estimatedMinutes: number;
}

type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema> };

const schema = JSON.parse(readFileSync(new URL('./manifest.schema.json', import.meta.url), 'utf8')) as JsonSchema;
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile<LabManifest>(schema);

/**
 * Parses and validates a manifest's text. `file` is the path shown in errors. Throws a
 * LabFileError listing every problem, each with where it is and what is allowed.
 */
export function parseManifest(text: string, file: string): LabManifest {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, lineCounter });
  if (document.errors.length > 0) {
    throw new LabFileError(
      file,
      document.errors.map((error) => {
        const where = lineCounter.linePos(error.pos[0]);
        return `line ${where.line}, column ${where.col}: ${error.message.split('\n')[0]}`;
      }),
    );
  }
  const data: unknown = document.toJS();
  if (validate(data)) return data;
  throw new LabFileError(file, describeErrors(validate.errors ?? [], data));
}

/** Turns ajv's errors into sentences a trainer can act on; drops the noise ajv adds around if/then. */
function describeErrors(errors: ErrorObject[], data: unknown): string[] {
  const messages = errors
    .filter((error) => error.keyword !== 'if')
    .map((error) => {
      const pointer = error.instancePath || '/';
      switch (error.keyword) {
        case 'additionalProperties': {
          const field = String(error.params.additionalProperty);
          const allowed = Object.keys(schemaAt(error.schemaPath)?.properties ?? {});
          const suggestion = nearestName(field, allowed);
          return `${joinPointer(error.instancePath, field)}: unknown field "${field}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; allowed: ${allowed.join(', ')}`;
        }
        case 'required':
          return `${pointer}: missing required field "${String(error.params.missingProperty)}"${requiredContext(error, data)}`;
        case 'enum':
          return `${pointer}: must be one of ${(error.params.allowedValues as unknown[]).join(', ')} (got ${JSON.stringify(valueAt(data, error.instancePath))})`;
        case 'type':
          return `${pointer}: must be ${article(String(error.params.type))} (got ${JSON.stringify(valueAt(data, error.instancePath))})`;
        case 'pattern':
          return `${pointer}: must match ${String(error.params.pattern)} (got ${JSON.stringify(valueAt(data, error.instancePath))})`;
        default:
          return `${pointer}: ${error.message ?? 'is not valid'} (got ${JSON.stringify(valueAt(data, error.instancePath))})`;
      }
    });
  return [...new Set(messages)];
}

function requiredContext(error: ErrorObject, data: unknown): string {
  if (!error.schemaPath.includes('/then/')) return '';
  const kind = (valueAt(data, error.instancePath) as { kind?: unknown } | undefined)?.kind;
  return ` (entries of kind ${JSON.stringify(kind)} need it)`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function joinPointer(base: string, field: string): string {
  return `${base}/${field.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** The sub-schema an error's schemaPath points at, e.g. `#/properties/entry/additionalProperties` → entry. */
function schemaAt(schemaPath: string): JsonSchema | undefined {
  const parts = schemaPath.replace(/^#\/?/, '').split('/').slice(0, -1);
  let node: unknown = schema;
  for (const part of parts) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[decodeURIComponent(part)];
  }
  return node as JsonSchema | undefined;
}

function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  for (const part of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return node;
}
