import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { nearestName } from '../../../grader/labs/nearest-name.ts';
import type { JobConfig } from '../job/config.ts';
import { logLines, LOG_REF_PATTERN } from '../incident/logs.ts';
import type { Night } from '../incident/night.ts';
import type { Category, Mitigation, NextStep } from './lists.ts';

/** One answer of diagnosis.yaml, as the brief documents it. */
export interface IncidentAnswer {
  ticket: string;
  category: Category;
  evidence: { correlationIds: string[]; lines: string[] };
  affectedRecords: string[];
  nextStep: NextStep;
  mitigation: Mitigation;
}

export interface Diagnosis {
  seed: number;
  incidents: IncidentAnswer[];
  leakedLine?: string;
}

export interface MitigationPlan {
  config: JobConfig;
  replay: string[];
}

/**
 * A file read against its schema and against the night it names. `problems` has one sentence
 * per mistake, each with the JSON pointer of the field. A file that breaks its schema is not
 * read at all; references to lines, flows or orders the night does not have are left out of
 * what is graded (and named), the rest is graded.
 */
export type Parsed<T> = { ok: true; value: T; problems: string[]; wrongItems: number; items: number } | { ok: false; problems: string[] };

const read = (name: string) => JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
ajv.addSchema(read('../job/job-config.schema.json'));
const validateDiagnosis = ajv.compile(read('./diagnosis.schema.json'));
const validateMitigation = ajv.compile(read('./mitigation.schema.json'));

/**
 * Why the night read may not be the one the diagnosis names: the trainer gave the seed to grade
 * (`lab grade --seed`), or a take-home bundle holds one night only.
 */
export type OtherNight = 'seed-given' | 'bundle';

export function parseDiagnosis(data: unknown, night: Night, otherNight: OtherNight = 'bundle'): Parsed<Diagnosis> {
  if (data === undefined || data === null) return { ok: false, problems: ['diagnosis.yaml is missing, empty or not YAML (the run\'s build error says where)'] };
  if (!validateDiagnosis(data)) return { ok: false, problems: describeAll(validateDiagnosis.errors) };
  const file = data as Diagnosis;
  const lines = logLines(night.logs);
  const lineCount = new Map<string, number>();
  for (const line of lines) lineCount.set(line.file, Math.max(lineCount.get(line.file) ?? 0, line.number));
  const flows = new Set(lines.map((line) => line.correlationId));
  const orders = new Set(night.world.tonight.map((order) => order.orderId));
  const tickets = night.tickets;
  const problems: string[] = [];
  /** Items with a mistake: a ticket's answer (by ticket id), an extra answer, the leaked line. */
  const wrong = new Set<string>();
  let extras = 0;
  const problem = (item: string, text: string) => (problems.push(text), wrong.add(item));
  if (file.seed !== night.seed) {
    problem(
      '/seed',
      otherNight === 'seed-given'
        ? `/seed: ${file.seed} is not the night this grading is for: you were given the night of seed ${night.seed}, and every reference is read against it`
        : `/seed: ${file.seed} is not the night here: this take-home bundle holds the night of seed ${night.seed} (the handout in your folder), and every reference is read against it; write seed: ${night.seed}`,
    );
  }

  const lineProblem = (ref: string): string | undefined => {
    const [, file, number] = LOG_REF_PATTERN.exec(ref)!;
    const count = lineCount.get(`${file}.jsonl`) ?? 0;
    return Number(number) > count ? `${file}.jsonl has ${count} lines; there is no line ${number}` : undefined;
  };
  const answered = new Map<string, number>();
  const incidents: IncidentAnswer[] = [];
  file.incidents.forEach((answer, index) => {
    const at = `/incidents/${index}`;
    const extra = `extra ${index}`;
    if (!tickets.includes(answer.ticket)) return (extras++, problem(extra, `${at}/ticket: ${answer.ticket} is not in the ticket's timeline (${tickets.join(', ')})`));
    if (answered.has(answer.ticket)) return (extras++, problem(extra, `${at}/ticket: ${answer.ticket} is answered twice (first at /incidents/${answered.get(answer.ticket)}); give one answer per incident`));
    answered.set(answer.ticket, index);
    const keptLines = answer.evidence.lines.filter((ref, position) => {
      const why = lineProblem(ref);
      if (why) problem(answer.ticket, `${at}/evidence/lines/${position}: ${why}`);
      return why === undefined;
    });
    const keptFlows = answer.evidence.correlationIds.filter((id, position) => {
      if (!flows.has(id)) problem(answer.ticket, `${at}/evidence/correlationIds/${position}: ${id} appears in none of the three logs`);
      return flows.has(id);
    });
    const keptRecords = answer.affectedRecords.filter((orderId, position) => {
      if (!orders.has(orderId)) problem(answer.ticket, `${at}/affectedRecords/${position}: ${orderId} is not in the night's export (state/export.json)`);
      return orders.has(orderId);
    });
    incidents.push({ ...answer, evidence: { correlationIds: keptFlows, lines: keptLines }, affectedRecords: keptRecords });
  });
  for (const ticket of tickets) if (!answered.has(ticket)) problem(ticket, `/incidents: ${ticket} of the ticket is not answered`);
  let leakedLine = file.leakedLine;
  if (leakedLine === undefined) {
    problem('/leakedLine', '/leakedLine: missing; name the log line the job should never have written');
  } else {
    const why = lineProblem(leakedLine);
    if (why) {
      problem('/leakedLine', `/leakedLine: ${why}`);
      leakedLine = undefined;
    }
  }
  return {
    ok: true,
    value: { seed: file.seed, incidents, ...(leakedLine === undefined ? {} : { leakedLine }) },
    problems,
    wrongItems: wrong.size,
    // Each incident of the ticket and the leaked line; an extra answer counts as an item too.
    items: tickets.length + 1 + extras + (file.seed !== night.seed ? 1 : 0),
  };
}

export function parseMitigation(data: unknown, night: Night): Parsed<MitigationPlan> {
  if (data === undefined || data === null) return { ok: false, problems: ['mitigation.yaml is missing, empty or not YAML (the run\'s build error says where)'] };
  if (!validateMitigation(data)) return { ok: false, problems: describeAll(validateMitigation.errors) };
  const file = data as MitigationPlan;
  const orders = new Set(night.world.tonight.map((order) => order.orderId));
  const problems: string[] = [];
  const replay = file.replay.filter((orderId, index) => {
    if (!orders.has(orderId)) problems.push(`/replay/${index}: ${orderId} is not in the night's export (state/export.json)`);
    return orders.has(orderId);
  });
  return { ok: true, value: { config: file.config, replay }, problems, wrongItems: problems.length, items: 1 + file.replay.length };
}

/** The seed a diagnosis names, if it names one the way the schema asks. */
export function seedNamed(data: unknown): number | undefined {
  const seed = (data as { seed?: unknown } | null | undefined)?.seed;
  return typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0 ? seed : undefined;
}

function describeAll(errors: ErrorObject[] | null | undefined): string[] {
  const all = errors ?? [];
  // A value that fits no alternative of an anyOf is one mistake: its sentence lists the
  // alternatives, so the errors of each alternative are left out.
  const alternatives = all.filter((error) => error.keyword === 'anyOf').map((error) => `${error.schemaPath}/`);
  const kept = all.filter((error) => !alternatives.some((prefix) => error.schemaPath.startsWith(prefix)));
  // An enum error inside items also reports the failed alternatives; one sentence per place is enough.
  return [...new Set(kept.map(describe))];
}

/** What one alternative of an anyOf allows, in words: `0 (no throttle)`, `from 0.1 to 100`. */
function allowedBy(branch: Record<string, unknown>, parent: Record<string, unknown>): string {
  if ('const' in branch) return `${JSON.stringify(branch.const)}${typeof branch.description === 'string' ? ` (${branch.description})` : ''}`;
  const minimum = branch.minimum ?? parent.minimum;
  const maximum = branch.maximum ?? parent.maximum;
  if (minimum !== undefined && maximum !== undefined) return `from ${String(minimum)} to ${String(maximum)}`;
  if (minimum !== undefined) return `at least ${String(minimum)}`;
  if (maximum !== undefined) return `at most ${String(maximum)}`;
  return 'another documented value';
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '/';
  const allowedValues = (error.params as { allowedValues?: unknown[] }).allowedValues;
  switch (error.keyword) {
    case 'required':
      return `${where}: needs the field "${String(error.params.missingProperty)}"`;
    case 'additionalProperties': {
      const field = String(error.params.additionalProperty);
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = nearestName(field, allowed);
      return `${where}: unknown field "${field}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; allowed: ${allowed.join(', ')}`;
    }
    case 'enum': {
      const values = (allowedValues ?? []).map(String);
      const given = typeof error.data === 'string' ? error.data : undefined;
      // A typo, or the right family with the wrong word ("expired-token").
      const suggestion = given === undefined ? undefined : (nearestName(given, values) ?? values.find((value) => given.length >= 5 && value.split('-')[0] === given.split('-')[0]));
      return `${where}: ${JSON.stringify(error.data)} is not allowed${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; one of ${values.join(', ')}`;
    }
    case 'pattern':
      return `${where}: ${JSON.stringify(error.data)} ${patternHint(where)}`;
    case 'uniqueItems':
      return `${where}: items ${String(error.params.j)} and ${String(error.params.i)} are the same; name each once`;
    case 'minItems':
      return `${where}: needs at least ${String(error.params.limit)} item(s)`;
    case 'maxItems':
      return `${where}: at most ${String(error.params.limit)} item(s)`;
    case 'type':
      return `${where}: must be ${String(error.params.type)}${error.data === null ? ' (it is empty)' : ''}`;
    case 'anyOf': {
      const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
      const branches = (parent.anyOf ?? []) as Array<Record<string, unknown>>;
      return `${where}: ${JSON.stringify(error.data)} is not allowed; it must be ${branches.map((branch) => allowedBy(branch, parent)).join(' or ')}`;
    }
    case 'minimum':
    case 'maximum':
      return `${where}: must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(error.params.limit)} (got ${JSON.stringify(error.data)})`;
    default:
      return `${where}: ${error.message ?? 'is not allowed here'}`;
  }
}

function patternHint(where: string): string {
  if (/\/correlationIds\/\d+$/.test(where)) return 'is not a correlation id as the logs write them (8 and 4 hex digits, e.g. 7f3a91c2-4e1b)';
  if (/\/lines\/\d+$|\/leakedLine$/.test(where)) return 'is not a line reference: write <log file>:<line>, e.g. partner-gateway.jsonl:57 (files: scheduler.jsonl, order-sync.jsonl, partner-gateway.jsonl)';
  if (/\/(affectedRecords|replay)\/\d+$/.test(where)) return 'is not an order id of the export (SO- and six digits, e.g. SO-000123)';
  if (/\/ticket$/.test(where)) return 'is not an incident id of the ticket (INC-1, INC-2, …)';
  return 'does not have the documented form';
}
