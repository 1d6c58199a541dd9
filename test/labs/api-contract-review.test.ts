import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { gradeLab } from '../../grader/grading/grade-lab.ts';
import { findLab, resolveLabsDir } from '../../grader/labs/catalogue.ts';
import { baseContract, type JsonObject } from '../../labs/07-api-contract-review/hidden/contract/base.ts';
import { FLAWS_PER_CONTRACT, generateHandout } from '../../labs/07-api-contract-review/hidden/contract/generate.ts';
import { lintGovernance, openApiProblems } from '../../labs/07-api-contract-review/governance/lint.ts';
import { RULE_IDS, severityOf, type RuleId } from '../../labs/07-api-contract-review/governance/ruleset.ts';
import { breakingChanges } from '../../labs/07-api-contract-review/grading/compatibility.ts';
import { parseReview } from '../../labs/07-api-contract-review/grading/review-file.ts';
import { expectedFindings, placeOf } from '../../labs/07-api-contract-review/grading/score-findings.ts';

/**
 * Lab 07 grades a review against the contract of the seed the review names, so `lab validate`
 * proves the reference on one contract. These tests cover the rest, seed by seed: every
 * handout is valid OpenAPI 3.1 and breaks the catalogue exactly where flaws were planted, and a
 * review written from the catalogue alone gets full marks on contracts of other seeds.
 */
const SEEDS = Array.from({ length: 30 }, (_, index) => index + 1);

/** Where a site of hidden/contract/flaws.ts sits, as a place of score-findings.ts. */
function placeOfSite(site: string): string {
  if (site === 'servers') return '/servers/0';
  if (site.startsWith('schema ')) return `/components/schemas/${site.slice('schema '.length)}`;
  const [method, path] = site.split(' ') as [string, string];
  return `/paths/${path.replaceAll('/', '~1')}/${method}`;
}

describe('the base contract', () => {
  it('is valid OpenAPI 3.1 and passes every rule of the catalogue', async () => {
    expect(await openApiProblems(baseContract())).toEqual([]);
    expect(await lintGovernance(baseContract())).toEqual([]);
  });
});

describe('linting a submitted contract', () => {
  it('follows no $ref out of the file: nothing is read or fetched, and the contract is invalid', async () => {
    let requests = 0;
    const server = createServer((_request, response) => (requests++, response.end('type: object\n')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const contract = baseContract();
      const schemas = (contract.components as Record<string, JsonObject>).schemas!;
      schemas.FromWeb = { $ref: `http://127.0.0.1:${(server.address() as AddressInfo).port}/schema.yaml` };
      schemas.FromDisk = { $ref: '/etc/hostname' };
      const problems = await openApiProblems(contract);
      expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^\/components\/schemas\/FromWeb\/\$ref: references outside the file are not followed.*scheme 'http'/), expect.stringMatching(/^\/components\/schemas\/FromDisk\/\$ref: references outside the file/)]));
      expect(await lintGovernance(contract)).toEqual([]);
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });
});

describe('handouts', () => {
  it('are the same for the same seed, and differ between seeds', () => {
    expect(generateHandout(7)).toEqual(generateHandout(7));
    expect(generateHandout(1).planted).not.toEqual(generateHandout(2).planted);
    const distinct = new Set(SEEDS.map((seed) => JSON.stringify(generateHandout(seed).planted)));
    expect(distinct.size).toBeGreaterThan(SEEDS.length * 0.9);
  });

  it.each(SEEDS)('seed %i: valid OpenAPI 3.1, broken exactly at the planted sites', async (seed) => {
    const { contract, planted } = generateHandout(seed);
    expect(planted).toHaveLength(FLAWS_PER_CONTRACT);
    expect(await openApiProblems(contract)).toEqual([]);
    const lint = await lintGovernance(contract);
    const plantedPlaces = new Set(planted.map((flaw) => placeOfSite(flaw.site)));
    const renamed = planted.find((flaw) => flaw.kind === 'snake-case-schema');
    const linted = new Set(expectedFindings(lint).map((finding) => finding.place));
    // A renamed schema is reported under its new name.
    expect(linted.size).toBe(plantedPlaces.size);
    for (const place of plantedPlaces) if (!place.startsWith('/components/schemas/') || !renamed) expect(linted).toContain(place);
  });
});

describe('compatibility', () => {
  it.each(SEEDS)('seed %i: going back to the base contract breaks consumers only by dropping offset', (seed) => {
    const { contract, planted } = generateHandout(seed);
    const offsetOnly = planted.find((flaw) => flaw.kind === 'offset-only-paging');
    const expected = offsetOnly ? [`GET ${offsetOnly.site.split(' ')[1]}: the query parameter offset is gone, and consumers send it`] : [];
    expect(breakingChanges(contract, baseContract())).toEqual(expected);
  });

  it('names a removed operation, a new required parameter and a new required body field', () => {
    const before = baseContract();
    const after = JSON.parse(JSON.stringify(before)) as JsonObject;
    const paths = after.paths as Record<string, Record<string, unknown>>;
    delete paths['/refunds']!.get;
    ((after.components as Record<string, Record<string, Record<string, unknown>>>).parameters!.IdempotencyKey!).required = true;
    ((after.components as Record<string, Record<string, { required: string[] }>>).schemas!.PickupRequest!).required.push('timeWindow');
    expect(breakingChanges(before, after)).toEqual([
      'POST /returns: the header parameter idempotency-key is now required, and consumers do not send it',
      'POST /returns/{returnId}/cancel: the header parameter idempotency-key is now required, and consumers do not send it',
      'POST /pickups: the header parameter idempotency-key is now required, and consumers do not send it',
      'POST /pickups: the request body field timeWindow is now required, and consumers do not send it',
      'GET /refunds: the operation is gone',
    ]);
  });
});

describe('findings.yaml', () => {
  const exists = (pointer: string) => pointer === '' || pointer.startsWith('/paths/~1returns');
  const finding = { rule: 'idempotency-key-on-post', pointer: '/paths/~1returns/post', severity: 'error', fix: 'Accept an optional Idempotency-Key.' };

  it('reads a valid file', () => {
    expect(parseReview({ seed: 3, findings: [finding] }, exists)).toEqual({ ok: true, review: { seed: 3, findings: [finding] }, problems: [] });
  });

  it('says what is wrong with each finding, with its pointer', () => {
    const parsed = parseReview(
      { seed: 3, findings: [{ ...finding, rule: 'idempotency-key' }, { ...finding, pointer: '/paths/~1pickups/post' }, finding] },
      exists,
    );
    expect(parsed).toMatchObject({ ok: true, review: { findings: [finding] } });
    expect(parsed.problems).toEqual([
      '/findings/0/rule: "idempotency-key" is not in the governance catalogue (did you mean "idempotency-key-on-post"?)',
      '/findings/1/pointer: /paths/~1pickups/post is not a location in the contract you were given; point at what the rule is about, in that file',
    ]);
  });

  it('lists every schema mistake at once', () => {
    const parsed = parseReview({ findings: [{ rule: 'x', pointer: 'paths/x', severity: 'fatal', fix: 'Fix it now.', note: 1 }] }, exists);
    expect(parsed.ok).toBe(false);
    expect(parsed.problems).toEqual(
      expect.arrayContaining([
        '/: needs the field "seed"',
        '/findings/0: unknown field "note"; a finding has rule, pointer, severity and fix',
        expect.stringMatching(/^\/findings\/0\/pointer: must be a JSON pointer/),
        '/findings/0/severity: must be one of error, warn (the rule\'s severity in the catalogue)',
      ]),
    );
  });

  it('places findings at the operation, component or server entry', () => {
    expect(placeOf('/paths/~1pickups/post/responses/400')).toBe('/paths/~1pickups/post');
    expect(placeOf('/components/schemas/Refund/properties/amount')).toBe('/components/schemas/Refund');
    expect(placeOf('/servers/0/url')).toBe('/servers/0');
    expect(placeOf('/paths/~1pickups')).toBe('/paths/~1pickups');
    expect(placeOf('')).toBe('');
  });
});

describe('grading a review written from the catalogue', () => {
  const lab = findLab(resolveLabsDir(), '07');
  const folders: string[] = [];
  afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  /** What a reviewer who follows the catalogue hands in: one finding per rule and place, and a compatible correction. */
  async function reviewOf(seed: number): Promise<string> {
    const { contract, planted } = generateHandout(seed);
    const findings = expectedFindings(await lintGovernance(contract)).map(({ rule, place }) => ({
      rule,
      pointer: place,
      severity: severityOf(rule as RuleId),
      fix: `Make ${place || 'the document'} meet ${rule}.`,
    }));
    const corrected = baseContract();
    const offsetOnly = planted.find((flaw) => flaw.kind === 'offset-only-paging');
    if (offsetOnly) {
      const operation = ((corrected.paths as JsonObject)[offsetOnly.site.split(' ')[1]!] as JsonObject).get as JsonObject;
      operation.parameters = [...(operation.parameters as JsonObject[]), { name: 'offset', in: 'query', deprecated: true, schema: { type: 'integer', minimum: 0 } }];
    }
    const folder = mkdtempSync(join(tmpdir(), 'lab07-review-'));
    folders.push(folder);
    writeFileSync(join(folder, 'findings.yaml'), stringify({ seed, findings }));
    writeFileSync(join(folder, 'openapi.yaml'), stringify(corrected, { aliasDuplicateObjects: false }));
    return folder;
  }

  it.each([2, 11, 123, 90210])('gets full marks on the contract of seed %i, whatever the run seed', async (seed) => {
    const result = await gradeLab(lab, await reviewOf(seed), { seed: 5 });
    expect(result.checks.filter((check) => check.status !== 'pass')).toEqual([]);
    expect(result.score).toBe(100);
  });

  it('loses the findings when they name another seed than the contract reviewed', async () => {
    const folder = await reviewOf(2);
    writeFileSync(join(folder, 'findings.yaml'), readFileSync(join(folder, 'findings.yaml'), 'utf8').replace('seed: 2', 'seed: 3'));
    const result = await gradeLab(lab, folder, { seed: 5 });
    expect(result.checks.find((check) => check.id === 'findings-recall')?.status).toBe('fail');
  });

  it('grades the seed the trainer gave (lab grade --seed), not the one the findings name: a review of another contract loses its findings', async () => {
    const folder = await reviewOf(2);
    const given = await gradeLab(lab, folder, { seed: 11, seedGiven: true });
    expect(given.checks.find((check) => check.id === 'findings-recall')?.status).toBe('fail');
    expect(JSON.stringify(given.checks)).toContain('/seed: 2 is not the contract this grading is for: you were given the contract of seed 11');
    // The same review, graded with the seed it names, gets full marks.
    expect((await gradeLab(lab, folder, { seed: 2, seedGiven: true })).score).toBe(100);
  });

  it('lists every rule in the catalogue table of the brief', async () => {
    const brief = readFileSync(lab.briefPath, 'utf8');
    for (const rule of RULE_IDS) expect(brief).toContain(`| \`${rule}\` | ${severityOf(rule)} |`);
  });
});

describe('a corrected contract the grader cannot lint', () => {
  const lab = findLab(resolveLabsDir(), '07');
  it.each([
    ['refers to itself through aliases', 'openapi: 3.1.0\nloop: &loop\n  again: *loop\n', /refers to itself through YAML aliases/],
    // Under the grader's 256 KiB file limit, but aliases make it over a megabyte as JSON.
    ['is far larger than a contract', `openapi: 3.1.0\nx-padding: &padding "${'x'.repeat(200_000)}"\nx-again: [*padding, *padding, *padding, *padding, *padding, *padding]\n`, /KB as JSON; a corrected contract stays near the handout's size/],
  ])('%s: the checks on it fail with the reason, the grading goes on', async (_name, text, reason) => {
    const folder = mkdtempSync(join(tmpdir(), 'lab07-unusable-'));
    try {
      writeFileSync(join(folder, 'findings.yaml'), 'seed: 1\nfindings: []\n');
      writeFileSync(join(folder, 'openapi.yaml'), text);
      const result = await gradeLab(lab, folder, { seed: 1 });
      expect(result.status).toBe('fail');
      const valid = result.checks.find((check) => check.id === 'contract-valid-openapi');
      expect(valid?.actual).toMatch(reason);
      expect(result.checks.find((check) => check.id === 'contract-compatible')?.status).toBe('fail');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
