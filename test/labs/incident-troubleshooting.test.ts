import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { CheckOutcome } from '../../grader/checks/scenario.ts';
import type { LabEnvironment } from '../../grader/environment/environment.ts';
import { startEnvironment } from '../../grader/environment/index.ts';
import { gradeLab } from '../../grader/grading/grade-lab.ts';
import { findLab, resolveLabsDir } from '../../grader/labs/catalogue.ts';
import { generateErpData } from '../../mock-systems/erp/data.ts';
import { parseDiagnosis, parseMitigation } from '../../labs/06-incident-troubleshooting/grading/answer-files.ts';
import { labRun, type LabRun } from '../../labs/06-incident-troubleshooting/grading/lab-run.ts';
import { CATEGORIES, MITIGATIONS, NEXT_STEPS } from '../../labs/06-incident-troubleshooting/grading/lists.ts';
import { PUBLIC_CHECKS } from '../../labs/06-incident-troubleshooting/grading/public-checks.ts';
import HIDDEN_CHECKS from '../../labs/06-incident-troubleshooting/hidden/checks.ts';
import { groundTruth } from '../../labs/06-incident-troubleshooting/hidden/answer-key.ts';
import { answerTemplates, handoutFiles } from '../../labs/06-incident-troubleshooting/hidden/handout-files.ts';
import { runIncident, type IncidentRun } from '../../labs/06-incident-troubleshooting/hidden/incident-run.ts';
import { INCIDENT_KINDS } from '../../labs/06-incident-troubleshooting/hidden/kinds.ts';
import { drawPlan } from '../../labs/06-incident-troubleshooting/hidden/plan.ts';
import { exampleOrders } from '../../labs/06-incident-troubleshooting/hidden/ticket.ts';
import { logLines } from '../../labs/06-incident-troubleshooting/incident/logs.ts';
import { bookingsFor } from '../../labs/06-incident-troubleshooting/incident/night.ts';
import { runRehearsal, type CompletedRehearsal } from '../../labs/06-incident-troubleshooting/incident/rehearsal.ts';
import { RUN_DEADLINE_MS } from '../../labs/06-incident-troubleshooting/job/run.ts';
import { GUIDED_CONFIG, solveHandout, type Solution } from './incident-solver.ts';

/**
 * Lab 06 grades a diagnosis against the night of the seed the diagnosis names, so `lab validate`
 * proves the reference on one night (seed 20). These tests cover the rest, seed by seed: every
 * night replays byte for byte and differs from the next, the answer key agrees with what the
 * handout shows (a diagnosis derived from the handout alone gets full marks), every realistic
 * wrong answer loses the points of its check on every seed, and nothing in a log leaks but the
 * planted line.
 */
const LAB_DIR = 'labs/06-incident-troubleshooting';
const SEEDS = Array.from({ length: 24 }, (_, index) => index + 1);
const CHECKS = [...PUBLIC_CHECKS, ...HIDDEN_CHECKS];

async function grade(outputs: LabRun): Promise<Map<string, CheckOutcome & { score: number }>> {
  const results = new Map<string, CheckOutcome & { score: number }>();
  for (const check of CHECKS) {
    const outcome = await check.run({ outputs } as never);
    results.set(check.id, { ...outcome, score: outcome.score ?? (outcome.passed ? check.points : 0) });
  }
  return results;
}

const total = (results: Map<string, { score: number }>) => Math.round([...results.values()].reduce((sum, result) => sum + result.score, 0) * 100) / 100;

describe('the brief and the schemas list the same things as the grader', () => {
  const brief = readFileSync(`${LAB_DIR}/README.md`, 'utf8');
  const diagnosisSchema = readFileSync(`${LAB_DIR}/grading/diagnosis.schema.json`, 'utf8');

  it.each([
    ['category', CATEGORIES],
    ['nextStep', NEXT_STEPS],
    ['mitigation', MITIGATIONS],
  ] as const)('every %s is in the brief with its meaning, and in the schema', (field, list) => {
    for (const [id, meaning] of Object.entries(list)) expect(brief).toContain(`| \`${id}\` | ${meaning} |`);
    const schema = JSON.parse(diagnosisSchema) as { properties: { incidents: { items: { properties: Record<string, { enum: string[] }> } } } };
    expect(schema.properties.incidents.items.properties[field]!.enum).toEqual(Object.keys(list));
  });

  it('every configuration field is in the brief\'s table', () => {
    for (const field of ['scheduler.onRecordError', 'erp.tokenRefresh', 'partner.requestsPerSecond', 'partner.timeoutMs', 'partner.reference', 'partner.retry.maxAttempts', 'partner.retry.backoffMs', 'partner.retry.honourRetryAfter', 'partner.retry.on', 'logging.level']) {
      expect(brief).toContain(`| \`${field}\` |`);
    }
  });
});

describe('plans', () => {
  it('are the same for the same seed, and differ between seeds', () => {
    expect(drawPlan(7)).toEqual(drawPlan(7));
    const kinds = (seed: number) => drawPlan(seed).incidents.map((incident) => incident.kind).sort().join(',');
    expect(kinds(1)).not.toEqual(kinds(2));
    const distinct = new Set(Array.from({ length: 60 }, (_, index) => kinds(index + 1)));
    expect(distinct.size).toBeGreaterThan(20);
    for (const kind of INCIDENT_KINDS) expect([...distinct].some((set) => set.includes(kind))).toBe(true);
  });

  it.each(Array.from({ length: 200 }, (_, index) => index + 1))('seed %i: three causes, a wave abort always with the rejection behind it', (seed) => {
    const plan = drawPlan(seed);
    const kinds = plan.incidents.map((incident) => incident.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    if (kinds.includes('batch-aborted-after-error')) {
      expect(kinds).toContain('invalid-record-data');
      expect([3, 4]).toContain(kinds.length);
    } else {
      expect(kinds).toHaveLength(3);
    }
    expect(plan.reportedAfterMinutes).toHaveLength(kinds.length);
  });
});

describe('the night of a seed, on the ERP and the partner', () => {
  let env: LabEnvironment;
  const nights = new Map<number, IncidentRun>();
  const solutions = new Map<number, Solution>();
  beforeAll(async () => {
    env = await startEnvironment({ seed: 1, services: ['erp', 'partner'] });
  }, 60_000);
  afterAll(() => env?.stop());

  async function night(seed: number): Promise<IncidentRun> {
    const run = await runIncident(env, seed);
    nights.set(seed, run);
    return run;
  }

  /** The night and the handout's answer of a seed, from an earlier test when there was one. */
  async function solved(seed: number): Promise<{ run: IncidentRun; solution: Solution }> {
    const run = nights.get(seed) ?? (await night(seed));
    const solution = solutions.get(seed) ?? solveHandout(seed, handoutFiles(run));
    solutions.set(seed, solution);
    return { run, solution };
  }

  it('replays byte for byte, and the starter holds seed 1\'s handout', async () => {
    const first = await night(1);
    const again = await runIncident(env, 1);
    expect(again.job.logs).toEqual(first.job.logs);
    expect(again.bookings).toEqual(first.bookings);
    const files = { ...handoutFiles(first), ...answerTemplates(first) };
    const starter = listFiles(`${LAB_DIR}/starter`);
    expect(starter.sort()).toEqual(Object.keys(files).sort());
    for (const [path, text] of Object.entries(files)) expect(readFileSync(join(LAB_DIR, 'starter', path), 'utf8'), path).toBe(text);
  }, 30_000);

  it('two seeds give different incidents: other causes, other orders, other logs', async () => {
    const [one, two] = [nights.get(1) ?? (await night(1)), await night(2)];
    const truth = (run: IncidentRun) => groundTruth(run).incidents.map((incident) => `${incident.category}:${incident.affected.join(',')}`);
    expect(truth(one)).not.toEqual(truth(two));
    expect(one.job.logs['partner-gateway']).not.toEqual(two.job.logs['partner-gateway']);
  }, 30_000);

  describe.each(SEEDS)('seed %i', (seed) => {
    it('a diagnosis and a change derived from the handout alone get full marks', async () => {
      const run = await night(seed);
      const solution = solveHandout(seed, handoutFiles(run));
      solutions.set(seed, solution);
      const results = await grade(await labRun(env, run, solution.diagnosis, solution.mitigation, { seedGiven: false }));
      const failed = [...results].filter(([, result]) => !result.passed).map(([id, result]) => `${id}: ${result.actual}`);
      expect(failed).toEqual([]);
      expect(total(results)).toBe(100);
    }, 30_000);

    it('the answer key is consistent: every lost or doubled order has exactly one cause, the ticket\'s examples among them', () => {
      const run = nights.get(seed)!;
      const truth = groundTruth(run);
      const causeOf = new Map<string, string>();
      for (const incident of truth.incidents) {
        for (const orderId of incident.affected) {
          expect(causeOf.has(orderId), `${orderId} has two causes`).toBe(false);
          causeOf.set(orderId, incident.category);
        }
        expect(incident.proving.length).toBeGreaterThan(0);
      }
      for (const outcome of run.job.outcomes) {
        const wrong = outcome.result !== 'booked' || bookingsFor(run.bookings, outcome.orderId).length !== 1;
        expect(causeOf.has(outcome.orderId), `${outcome.orderId}: ${outcome.result}`).toBe(wrong);
      }
      run.plan.incidents.forEach((planned, index) => {
        for (const orderId of exampleOrders(run, planned)) expect(truth.incidents[index]!.affected).toContain(orderId);
      });
      expect(truth.replay.length).toBeGreaterThan(0);
    });

    it('no log line holds a secret or personal data in clear; the planted lines hold only masked parts', () => {
      const run = nights.get(seed)!;
      const lines = logLines(run.job.logs);
      const text = lines.map((line) => JSON.stringify(line.data)).join('\n');
      const personal = run.world.tonight.flatMap((order) => [order.destination.name, order.destination.street, order.destination.city]);
      const customers = generateErpData({ seed, size: run.world.erpSize }).customers.flatMap((customer) => [customer.name, customer.email]);
      for (const value of [...personal, ...customers]) expect(text.includes(value), value).toBe(false);
      for (const secret of [env.variables.ERP_CLIENT_SECRET!, env.variables.PARTNER_API_KEY!]) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/[A-Za-z0-9]{20,}/);
      const { leaks } = groundTruth(run);
      expect(leaks.length).toBeGreaterThan(0);
      const masked = lines.filter((line) => /\*\*|"tokenPreview"/.test(JSON.stringify(line.data))).map((line) => line.ref);
      expect(masked).toEqual(leaks);
    });

    it('realistic wrong diagnoses lose the points of their check', async () => {
      const run = nights.get(seed)!;
      const solution = solutions.get(seed)!;
      const right = await labRun(env, run, solution.diagnosis, solution.mitigation, { seedGiven: false });
      const lines = logLines(run.job.logs);
      const recovered = lines.filter((line) => line.event === 'booking.attempt' && typeof line.data.status === 'number' && line.data.status >= 429 && bookingsFor(run.bookings, String(line.data.orderId)).length === 1).map((line) => String(line.data.orderId));
      const healthy = lines.find((line) => line.event === 'booking.attempt' && line.data.status === 201 && recovered.includes(String(line.data.orderId)))!;
      // Where an order starts; an order its wave never reached has only the wave's own lines.
      const startOf = (incident: Solution['diagnosis']['incidents'][number]) =>
        lines.find((line) => line.event === 'order.started' && line.data.orderId === incident.affectedRecords[0]) ??
        lines.find((line) => line.event === 'wave.started' && line.correlationId === incident.evidence.correlationIds[0])!;
      // The line where a component sums up, after the fact, that the first order of an incident failed.
      const summaryOf = (incident: Solution['diagnosis']['incidents'][number], event: 'order.failed' | 'booking.failed') =>
        lines.find((line) => line.event === event && line.correlationId === incident.evidence.correlationIds[0]);
      const confusion: Record<string, string> = {
        'expired-credential': 'revoked-credential',
        'rate-limit-exceeded': 'partner-server-error',
        'partner-server-error': 'partner-timeout',
        'partner-timeout': 'network-failure',
        'duplicate-after-lost-response': 'partner-timeout',
        'batch-aborted-after-error': 'invalid-record-data',
        'invalid-record-data': 'contract-violation',
      };
      const mutants: Array<[string, string, (diagnosis: Solution['diagnosis']) => void]> = [
        ['root-cause-categories', 'the first incident in a neighbouring category', (d) => (d.incidents[0]!.category = confusion[d.incidents[0]!.category]!)],
        ['evidence-proves-cause', 'the right category, the evidence of an order that recovered', (d) => (d.incidents[0]!.evidence = { correlationIds: [healthy.correlationId], lines: [healthy.ref] })],
        ['evidence-proves-cause', 'the right flows, the line where the order starts', (d) => d.incidents.forEach((incident) => (incident.evidence.lines = [startOf(incident).ref]))],
        ['affected-records', 'orders that recovered on a retry counted as affected', (d) => (d.incidents[0]!.affectedRecords = [...new Set([...d.incidents[0]!.affectedRecords, ...recovered])])],
        ['affected-records', 'only the examples the ticket names', (d) => d.incidents.forEach((incident, index) => (incident.affectedRecords = exampleOrders(run, run.plan.incidents[index]!).slice(0, 1)))],
        ['next-steps-and-mitigations', 'restart and watch', (d) => d.incidents.forEach((incident) => (incident.nextStep = 'restart-job-and-watch'))],
        ['next-steps-and-mitigations', 'replay everything as the mitigation', (d) => d.incidents.forEach((incident) => (incident.mitigation = 'replay-all-records'))],
        ['leaked-log-line', 'the line that says a token was acquired', (d) => (d.leakedLine = lines.find((line) => line.event === 'token.acquired')!.ref)],
        ['evidence-proves-cause', "only order-sync's summary that an affected order failed", (d) => d.incidents.forEach((incident) => (incident.evidence.lines = [summaryOf(incident, 'order.failed')?.ref ?? incident.evidence.lines[0]!]))],
        ['evidence-proves-cause', "only partner-gateway's summary that it gave up on an order", (d) => d.incidents.forEach((incident) => (incident.evidence.lines = [summaryOf(incident, 'booking.failed')?.ref ?? incident.evidence.lines[0]!]))],
        ['evidence-proves-cause', 'for an expired token, only the flow that fetched it', (d) => d.incidents.filter((incident) => incident.category === 'expired-credential').forEach((incident) => (incident.evidence.correlationIds = [lines.find((line) => line.event === 'token.acquired')!.correlationId]))],
      ];
      // Mutants that only apply where the night has what they get wrong.
      const applies: Record<string, boolean> = {
        // The examples are the whole set when each incident touched one order.
        'only the examples the ticket names': groundTruth(run).incidents.some((incident) => incident.affected.length > 1),
        "only partner-gateway's summary that it gave up on an order": solution.diagnosis.incidents.some((incident) => summaryOf(incident, 'booking.failed') !== undefined),
        'for an expired token, only the flow that fetched it': solution.diagnosis.incidents.some((incident) => incident.category === 'expired-credential'),
      };
      for (const [check, mistake, mutate] of mutants) {
        if (applies[mistake] === false) continue;
        const diagnosis = structuredClone(solution.diagnosis);
        mutate(diagnosis);
        const results = await grade({ ...right, diagnosis: parseDiagnosis(diagnosis, run) });
        const result = results.get(check)!;
        expect(result.passed, `${mistake} passed ${check}`).toBe(false);
        expect(total(results), mistake).toBeLessThan(100);
      }
    }, 30_000);
  });

  describe.each([1, 6, 20])('a change that keeps a flaw is caught in the rehearsal (seed %i)', (seed) => {
    const changes: Array<[string, string, (solution: Solution) => void]> = [
      ['no-429-storm', 'no throttle, no backoff, Retry-After ignored', (s) => Object.assign(s.mitigation.config.partner as object, { requestsPerSecond: 0, retry: { ...GUIDED_CONFIG.partner.retry, backoffMs: 0, honourRetryAfter: false } })],
      ['no-429-storm', 'a throttle twice the contract\'s rate', (s) => Object.assign(s.mitigation.config.partner as object, { requestsPerSecond: 8 })],
      ['token-refreshed', 'one token per run', (s) => (s.mitigation.config.erp = { tokenRefresh: 'never' })],
      ['no-duplicates-created', 'a fresh reference after silence', (s) => Object.assign(s.mitigation.config.partner as object, { reference: 'fresh-after-no-answer' })],
      ['next-night-books-everything', 'a longer timeout instead of retrying timeouts', (s) => Object.assign(s.mitigation.config.partner as object, { timeoutMs: 30000, retry: { ...GUIDED_CONFIG.partner.retry, on: [429, 500, 502, 503, 504, 'connection-error'] } })],
      ['next-night-books-everything', 'two attempts per order', (s) => Object.assign(s.mitigation.config.partner as object, { retry: { ...GUIDED_CONFIG.partner.retry, maxAttempts: 2 } })],
      ['next-night-books-everything', 'a refused order stops its wave', (s) => (s.mitigation.config.scheduler = { onRecordError: 'abort-batch' })],
      ['replay-only-what-is-missing', 'the whole export replayed', (s) => (s.mitigation.replay = nights.get(seed)!.world.tonight.map((order) => order.orderId))],
      ['replay-restores-missing', 'nothing replayed', (s) => (s.mitigation.replay = [])],
      // An empty list replays nothing that is missing: no points for naming "only" missing orders.
      ['replay-only-what-is-missing', 'nothing replayed', (s) => (s.mitigation.replay = [])],
      ['change-stops-the-leak', 'debug logging kept', (s) => (s.mitigation.config.logging = { level: 'debug' })],
    ];
    it.each(changes)('%s catches: %s', async (check, _mistake, mutate) => {
      const run = await night(seed);
      const solution = structuredClone(solveHandout(seed, handoutFiles(run)));
      mutate(solution);
      const results = await grade(await labRun(env, run, solution.diagnosis, solution.mitigation, { seedGiven: false }));
      expect(results.get(check)!.passed).toBe(false);
      if (_mistake === 'nothing replayed') expect(results.get(check)!.score).toBe(0);
    }, 30_000);
  });

  describe('a configuration is the submission\'s result, never a grader error', () => {
    const config = (partner: Partial<Record<string, unknown>>, retry: Partial<Record<string, unknown>> = {}) => ({
      ...GUIDED_CONFIG,
      partner: { ...GUIDED_CONFIG.partner, ...partner, retry: { ...GUIDED_CONFIG.partner.retry, ...retry } },
    });
    /** How long each run of a finished rehearsal took on the job's clock. */
    const runTimes = (rehearsal: CompletedRehearsal) =>
      rehearsal.logs.map((logs) => {
        const times = logs.scheduler.map((line) => Date.parse((JSON.parse(line) as { ts: string }).ts));
        return Math.max(...times) - Math.min(...times);
      });

    it.each([
      ['every setting at its lower bound', config({ requestsPerSecond: 0.1, timeoutMs: 100 }, { maxAttempts: 1, backoffMs: 0 })],
      ['every setting at its upper bound', config({ requestsPerSecond: 100, timeoutMs: 60000 }, { maxAttempts: 10, backoffMs: 60000 })],
      ['the slowest corner: the least throttle, the longest waits', config({ requestsPerSecond: 0.1, timeoutMs: 60000 }, { maxAttempts: 10, backoffMs: 60000 })],
      ['no throttle', config({ requestsPerSecond: 0 })],
    ])('%s: the schema takes it and the job finishes the rehearsal, far from the deadline', async (_name, change) => {
      const { run, solution } = await solved(6);
      const parsed = parseMitigation({ config: change, replay: solution.mitigation.replay }, run);
      expect(parsed).toMatchObject({ ok: true, problems: [] });
      await runIncident(env, 6);
      const rehearsal = await runRehearsal(env, run, { config: change as never, replay: solution.mitigation.replay });
      expect(rehearsal).toMatchObject({ completed: true });
      if (rehearsal.completed) for (const took of runTimes(rehearsal)) expect(took).toBeLessThan(RUN_DEADLINE_MS / 4);
    }, 60_000);

    it('refuses a setting out of its bounds with a clear sentence: 1e-300 requests per second among them', async () => {
      const { run } = await solved(6);
      const problems = (change: object) => {
        const parsed = parseMitigation({ config: change, replay: [] }, run);
        return parsed.problems;
      };
      expect(problems(config({ requestsPerSecond: 1e-300 }))).toEqual(['/config/partner/requestsPerSecond: 1e-300 is not allowed; it must be 0 (no throttle) or from 0.1 to 100']);
      expect(problems(config({ requestsPerSecond: 0.05 }))).toEqual(['/config/partner/requestsPerSecond: 0.05 is not allowed; it must be 0 (no throttle) or from 0.1 to 100']);
      expect(problems(config({ requestsPerSecond: 101 }))).toEqual(['/config/partner/requestsPerSecond: must be at most 100 (got 101)']);
      expect(problems(config({ requestsPerSecond: Number.NaN }))).toEqual(['/config/partner/requestsPerSecond: must be number']);
      expect(problems(config({ timeoutMs: 60001 }))).toEqual(['/config/partner/timeoutMs: must be at most 60000 (got 60001)']);
      expect(problems(config({}, { maxAttempts: 11 }))).toEqual(['/config/partner/retry/maxAttempts: must be at most 10 (got 11)']);
      expect(problems(config({}, { backoffMs: 1e9 }))).toEqual(['/config/partner/retry/backoffMs: must be at most 60000 (got 1000000000)']);
    });

    it('a run that would pass its deadline stops there, and the rehearsal fails as the submission\'s result', async () => {
      const { run, solution } = await solved(6);
      // Past the schema, as a file that slipped through would be: the throttle asks for 1e303 ms between calls.
      await runIncident(env, 6);
      const endless = await runRehearsal(env, run, { config: config({ requestsPerSecond: 1e-300 }) as never, replay: solution.mitigation.replay });
      expect(endless).toMatchObject({ completed: false, stage: 'replay', reason: expect.stringMatching(/^the job did not finish the replay with this configuration: the run was still going at its deadline, 240 min after it started/) });
      // An accepted configuration meets the deadline too when a run is given less time than it needs (a night is five waves a minute apart).
      await runIncident(env, 6);
      const short = await runRehearsal(env, run, { config: GUIDED_CONFIG as never, replay: [] }, { deadlineMs: 60_000 });
      expect(short).toMatchObject({ completed: false, stage: 'next night', reason: expect.stringMatching(/did not finish the next night with this configuration/) });
      const right = await labRun(env, run, solution.diagnosis, solution.mitigation, { seedGiven: false });
      const results = await grade({ ...right, rehearsal: short });
      for (const check of ['no-429-storm', 'token-refreshed', 'no-duplicates-created', 'next-night-books-everything', 'change-stops-the-leak', 'replay-restores-missing']) {
        expect(results.get(check), check).toMatchObject({ passed: false, score: 0, actual: expect.stringMatching(/^the rehearsal stopped: the job did not finish the next night/) });
      }
    }, 60_000);

    it('whatever the job throws while rehearsing a configuration is a failed rehearsal with its message', async () => {
      const { run, solution } = await solved(6);
      await runIncident(env, 6);
      const broken = await runRehearsal(env, run, { config: config({}, { on: undefined }) as never, replay: solution.mitigation.replay });
      expect(broken).toMatchObject({ completed: false, reason: expect.stringMatching(/^the job stopped with an error in the (replay|next night) with this configuration: /) });
    }, 60_000);
  });

  describe('answer files', () => {
    it('lists every schema mistake at once, with its pointer and what is allowed', async () => {
      const { run } = await solved(1);
      const parsed = parseDiagnosis(
        {
          incidents: [{ ticket: 'INC-1', category: 'expired-token', evidence: { correlationIds: ['abc'], lines: ['gateway.log:3'] }, affectedRecords: ['SO-1'], nextStep: 'restart', mitigation: 'retry-timeouts', severity: 'high' }],
          leakedLine: 'order-sync.jsonl',
        },
        run,
      );
      expect(parsed.ok).toBe(false);
      expect(parsed.problems).toEqual(
        expect.arrayContaining([
          '/: needs the field "seed"',
          '/incidents/0: unknown field "severity"; allowed: ticket, category, evidence, affectedRecords, nextStep, mitigation, notes',
          expect.stringMatching(/^\/incidents\/0\/category: "expired-token" is not allowed \(did you mean "expired-credential"\?\); one of expired-credential, revoked-credential, /),
          expect.stringMatching(/^\/incidents\/0\/evidence\/correlationIds\/0: "abc" is not a correlation id/),
          expect.stringMatching(/^\/incidents\/0\/evidence\/lines\/0: "gateway.log:3" is not a line reference: write <log file>:<line>/),
          expect.stringMatching(/^\/incidents\/0\/affectedRecords\/0: "SO-1" is not an order id/),
          expect.stringMatching(/^\/incidents\/0\/nextStep: "restart" is not allowed/),
          expect.stringMatching(/^\/leakedLine: "order-sync.jsonl" is not a line reference/),
        ]),
      );
    });

    it('names references the night does not have, and grades the rest', async () => {
      const { run, solution } = await solved(1);
      const diagnosis = structuredClone(solution.diagnosis);
      diagnosis.incidents[0]!.evidence.lines.push('order-sync.jsonl:9000');
      diagnosis.incidents[0]!.evidence.correlationIds.push('00000000-0000');
      diagnosis.incidents[0]!.affectedRecords.push('SO-999999');
      diagnosis.incidents.push({ ...diagnosis.incidents[1]! });
      diagnosis.incidents = diagnosis.incidents.filter((incident) => incident.ticket !== 'INC-3');
      const parsed = parseDiagnosis(diagnosis, run);
      expect(parsed.ok).toBe(true);
      const count = run.job.logs['order-sync'].length;
      expect(parsed.problems).toEqual([
        `/incidents/0/evidence/lines/1: order-sync.jsonl has ${count} lines; there is no line 9000`,
        '/incidents/0/evidence/correlationIds/1: 00000000-0000 appears in none of the three logs',
        `/incidents/0/affectedRecords/${diagnosis.incidents[0]!.affectedRecords.length - 1}: SO-999999 is not in the night's export (state/export.json)`,
        `/incidents/${diagnosis.incidents.length - 1}/ticket: INC-2 is answered twice (first at /incidents/1); give one answer per incident`,
        '/incidents: INC-3 of the ticket is not answered',
      ]);
      if (parsed.ok) {
        expect(parsed.value.incidents[0]!.affectedRecords).not.toContain('SO-999999');
        expect(parsed.wrongItems).toBe(3);
        expect(parsed.items).toBe(run.plan.incidents.length + 2);
      }
    });

    it('checks the configuration against its schema and the replay against the export', async () => {
      const { run } = await solved(1);
      const parsed = parseMitigation({ config: { ...GUIDED_CONFIG, partner: { ...GUIDED_CONFIG.partner, requestsPerSecnd: 3, reference: 'per-attempt' } }, replay: ['SO-999999'] }, run);
      expect(parsed.ok).toBe(false);
      expect(parsed.problems).toEqual(
        expect.arrayContaining([
          '/config/partner: unknown field "requestsPerSecnd" (did you mean "requestsPerSecond"?); allowed: requestsPerSecond, timeoutMs, reference, retry',
          '/config/partner/reference: "per-attempt" is not allowed; one of order, fresh-after-no-answer',
        ]),
      );
      expect(parseMitigation({ config: GUIDED_CONFIG, replay: ['SO-999999'] }, run)).toMatchObject({ ok: true, value: { replay: [] }, problems: ['/replay/0: SO-999999 is not in the night\'s export (state/export.json)'] });
    });
  });
});

describe('grading end to end', () => {
  const lab = findLab(resolveLabsDir(), '06');
  const folders: string[] = [];
  afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  async function folderFor(seed: number, edit?: (solution: Solution) => void): Promise<string> {
    const { generateIncident } = await import('../../labs/06-incident-troubleshooting/hidden/handout.ts');
    const solution = solveHandout(seed, handoutFiles(await generateIncident(seed)));
    edit?.(solution);
    const folder = mkdtempSync(join(tmpdir(), 'lab06-'));
    folders.push(folder);
    writeFileSync(join(folder, 'diagnosis.yaml'), stringify(solution.diagnosis));
    writeFileSync(join(folder, 'mitigation.yaml'), stringify(solution.mitigation));
    return folder;
  }

  it.each([2, 11])('an answer written from the handout of seed %i gets full marks, whatever the run seed', async (seed) => {
    const result = await gradeLab(lab, await folderFor(seed), { seed: 5 });
    expect(result.checks.filter((check) => check.status !== 'pass')).toEqual([]);
    expect(result.score).toBe(100);
  }, 60_000);

  it('loses the diagnosis when it names another night than the one diagnosed', async () => {
    const result = await gradeLab(lab, await folderFor(2, (solution) => (solution.diagnosis.seed = 3)), { seed: 5 });
    expect(result.checks.find((check) => check.id === 'root-cause-categories')?.status).toBe('fail');
  }, 60_000);

  it('grades the night the trainer gave (lab grade --seed), not the one the diagnosis names: answers for another night lose their points', async () => {
    const folder = await folderFor(2);
    const given = await gradeLab(lab, folder, { seed: 11, seedGiven: true });
    expect(given.checks.find((check) => check.id === 'root-cause-categories')?.status).toBe('fail');
    expect(JSON.stringify(given.checks)).toContain('/seed: 2 is not the night this grading is for: you were given the night of seed 11');
    expect((await gradeLab(lab, folder, { seed: 2, seedGiven: true })).score).toBe(100);
  }, 120_000);

  it('the starter runs and scores low', async () => {
    const result = await gradeLab(lab, `${LAB_DIR}/starter`, { seed: 1 });
    expect(result.status).toBe('fail');
    expect(result.score).toBeLessThan(50);
  }, 60_000);

  it('without mitigation.yaml, Part 2 fails and says why; the diagnosis is still graded', async () => {
    const folder = await folderFor(2);
    rmSync(join(folder, 'mitigation.yaml'));
    const result = await gradeLab(lab, folder, { seed: 2 });
    expect(result.checks.find((check) => check.id === 'no-429-storm')).toMatchObject({ status: 'fail', actual: expect.stringMatching(/mitigation.yaml is missing/) });
    expect(result.checks.find((check) => check.id === 'root-cause-categories')?.status).toBe('pass');
  }, 60_000);
});

function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(root, path));
    }
  };
  walk(root);
  return files;
}
