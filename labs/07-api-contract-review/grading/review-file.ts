import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { nearestName } from '../../../grader/labs/nearest-name.ts';
import { RULE_IDS, type RuleId, type Severity } from '../governance/ruleset.ts';

/** One finding of findings.yaml, as the brief documents it. */
export interface Finding {
  rule: RuleId;
  pointer: string;
  severity: Severity;
  fix: string;
}

export interface ReviewFile {
  seed: number;
  findings: Finding[];
}

export type ReviewParse = { ok: true; review: ReviewFile; problems: string[] } | { ok: false; problems: string[] };

const schema = JSON.parse(readFileSync(new URL('./findings.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

/**
 * Reads findings.yaml against its schema and the catalogue: one sentence per mistake, with the
 * pointer of the field. Findings with an unknown rule or a pointer that is not in the contract
 * are left out of the review (and named); a file that breaks the schema elsewhere is not read.
 */
export function parseReview(data: unknown, pointerExists: (pointer: string) => boolean): ReviewParse {
  if (data === undefined || data === null) return { ok: false, problems: ['findings.yaml is missing or empty'] };
  if (!validate(data)) return { ok: false, problems: (validate.errors ?? []).map(describe) };
  const file = data as { seed: number; findings: Array<Omit<Finding, 'rule'> & { rule: string }> };
  const problems: string[] = [];
  const findings = file.findings.filter((finding, index) => {
    if (!RULE_IDS.includes(finding.rule as RuleId)) {
      const suggestion = nearestName(finding.rule, RULE_IDS) ?? RULE_IDS.find((id) => finding.rule.length >= 5 && id.startsWith(finding.rule));
      problems.push(`/findings/${index}/rule: "${finding.rule}" is not in the governance catalogue${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
      return false;
    }
    if (!pointerExists(finding.pointer)) {
      problems.push(`/findings/${index}/pointer: ${finding.pointer} is not a location in the contract you were given; point at what the rule is about, in that file`);
      return false;
    }
    return true;
  }) as Finding[];
  return { ok: true, review: { seed: file.seed, findings }, problems };
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '/';
  switch (error.keyword) {
    case 'required':
      return `${where}: needs the field "${String(error.params.missingProperty)}"`;
    case 'additionalProperties':
      return `${where}: unknown field "${String(error.params.additionalProperty)}"; a finding has rule, pointer, severity and fix`;
    case 'enum':
      return `${where}: must be one of ${(error.params.allowedValues as unknown[]).join(', ')} (the rule's severity in the catalogue)`;
    case 'pattern':
      return `${where}: must be a JSON pointer such as /paths/~1returns/post ("/" becomes ~1 inside a segment, "~" becomes ~0)`;
    default:
      return `${where}: ${error.message ?? 'is not allowed here'}`;
  }
}
