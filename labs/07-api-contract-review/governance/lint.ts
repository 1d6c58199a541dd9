import spectralCore from '@stoplight/spectral-core';
import { oas } from '@stoplight/spectral-rulesets';
import Parsers from '@stoplight/spectral-parsers';
import { Resolver } from '@stoplight/spectral-ref-resolver';
import { stringify } from 'yaml';
import { toPointer } from './document.ts';
import { GOVERNANCE_RULES, governanceRuleset } from './ruleset.ts';

const { Spectral, Document } = spectralCore;

export interface LintResult {
  rule: string;
  pointer: string;
  severity: 'error' | 'warn' | 'info' | 'hint';
  message: string;
}

const SEVERITY = ['error', 'warn', 'info', 'hint'] as const;

/**
 * The contract is the trainee's file: only its own `#/…` references are followed. Spectral's
 * default resolver would read files and fetch URLs a `$ref` names, from the grader's process.
 */
const LOCAL_REFERENCES_ONLY = new Resolver({ resolvers: {} });

function spectralWith(ruleset: Parameters<InstanceType<typeof Spectral>['setRuleset']>[0]) {
  const spectral = new Spectral({ resolver: LOCAL_REFERENCES_ONLY });
  spectral.setRuleset(ruleset);
  return spectral;
}

const governance = spectralWith(governanceRuleset);
// Only the OpenAPI schema rule of Spectral's own ruleset: is this a valid OpenAPI document at all.
const openApiSchema = spectralWith({ extends: [[oas as never, 'off']], rules: { 'oas3-schema': 'error' } });

async function run(spectral: InstanceType<typeof Spectral>, contract: unknown): Promise<LintResult[]> {
  const document = new Document(stringify(contract), Parsers.Yaml, 'openapi.yaml');
  const results = await spectral.run(document);
  return results
    .map((result) => ({ rule: String(result.code), pointer: toPointer(result.path.map(String)), severity: SEVERITY[result.severity] ?? 'error', message: result.message }))
    .sort((a, b) => a.rule.localeCompare(b.rule) || a.pointer.localeCompare(b.pointer));
}

/** Violations of the governance catalogue, sorted by rule and pointer. */
export async function lintGovernance(contract: unknown): Promise<LintResult[]> {
  return (await run(governance, contract)).filter((result) => result.rule in GOVERNANCE_RULES);
}

/** What makes the document invalid OpenAPI 3.1: the version itself, then Spectral's check against the OpenAPI schema. */
export async function openApiProblems(contract: unknown): Promise<string[]> {
  const version = typeof contract === 'object' && contract !== null ? (contract as { openapi?: unknown }).openapi : undefined;
  if (typeof version !== 'string' || !/^3\.1\.[0-9]+$/.test(version)) {
    return [`openapi must be a 3.1 version such as "3.1.0" (got ${JSON.stringify(version)})`];
  }
  return (await run(openApiSchema, contract)).map((result) =>
    result.message.startsWith('No resolver defined')
      ? `${result.pointer}: references outside the file are not followed; the contract must be one file, with references like #/components/schemas/Refund (${result.message})`
      : `${result.pointer || '/'}: ${result.message}`,
  );
}
