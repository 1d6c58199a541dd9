import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { gradeLab } from '../../grader/grading/grade-lab.ts';
import { findLab, resolveLabsDir, type Lab } from '../../grader/labs/catalogue.ts';
import { packLab, PackError } from '../../grader/pack/pack-lab.ts';
import { PROJECT_ROOT } from '../../grader/runner/project-paths.ts';
import { CATEGORIES } from '../../labs/06-incident-troubleshooting/grading/lists.ts';
import { groundTruth } from '../../labs/06-incident-troubleshooting/hidden/answer-key.ts';
import { answerTemplates, handoutFiles } from '../../labs/06-incident-troubleshooting/hidden/handout-files.ts';
import { generateIncident } from '../../labs/06-incident-troubleshooting/hidden/handout.ts';
import { baseContract, type JsonObject } from '../../labs/07-api-contract-review/hidden/contract/base.ts';
import { FLAWS } from '../../labs/07-api-contract-review/hidden/contract/flaws.ts';
import { generateHandout } from '../../labs/07-api-contract-review/hidden/contract/generate.ts';
import { writeFiles as writeContractHandout } from '../../labs/07-api-contract-review/hidden/handout.ts';
import { lintGovernance } from '../../labs/07-api-contract-review/governance/lint.ts';
import { severityOf, type RuleId } from '../../labs/07-api-contract-review/governance/ruleset.ts';
import { expectedFindings } from '../../labs/07-api-contract-review/grading/score-findings.ts';
import { solveHandout } from '../labs/incident-solver.ts';
import { npmStart } from '../support/npm-start.ts';

/**
 * Labs 06 and 07 give each candidate a handout of their own seed, written by a generator that
 * knows the answers (the night's plan, the planted flaws). `lab pack <lab> --seed <n>` ships that
 * seed's handout, ready in work/, and none of the generator: these tests pack each lab on a seed
 * other than the starter's, unpack it outside the repository and read every file as a hostile
 * candidate would (no module that plants or lists the ground truth, no answer of the packed
 * seed outside its handout), then install it and run its public checks: on the packed starter,
 * on an answer written from the bundle's handout alone (every public check passes, and the
 * trainer's lab grade in the repository gives the returned work full marks), and on one that
 * names another seed.
 */
interface Case {
  id: string;
  seed: number;
  /** Source files of the lab that plant, list or score the ground truth: none may ship. */
  modules: string[];
  /** Their definitions, should one be pasted elsewhere. */
  definitions: RegExp[];
  publicPoints: number;
  /** The seed's handout and answer files as the full lab writes them, by path in work/. */
  handout(): Promise<Record<string, string>>;
  /** Strings that are the seed's answers (ids, line references, pointers): only the handout may hold them. */
  answers(): Promise<string[]>;
  /** What no file of the bundle may hold, but for files as the repository has them (the brief's taxonomy). */
  secrets(): RegExp[];
  /** What no file of the bundle may hold at all. */
  nowhere(): RegExp[];
  /** Writes into work/ what a candidate derives from the bundle's handout alone, right in every part. */
  solve(work: string): Promise<void>;
  /** The note a check prints when the answer names another seed than the bundle's. */
  otherSeed?: RegExp;
  /** Whether npm start has services to show: lab 06's carrier, holding the night's bookings. */
  services: boolean;
}

const CASES: Case[] = [
  {
    id: '06-incident-troubleshooting',
    seed: 7,
    modules: ['plan.ts', 'kinds.ts', 'ticket.ts', 'incident-run.ts', 'handout-files.ts', 'answer-key.ts', 'score-diagnosis.ts', 'checks.ts', 'pack.ts'],
    definitions: [/function (drawPlan|flawedConfig|healthyConfig|rehearsalTrouble|groundTruth|renderTicket|runIncident)\b/, /\bINCIDENT_KINDS\s*=/, /\bSYMPTOMS\s*:/, /\bACCEPTED\s*:/, /\bREPLAYABLE\s*:/],
    publicPoints: 38,
    async handout() {
      const run = await night();
      return { ...handoutFiles(run), ...answerTemplates(run) };
    },
    async answers() {
      const truth = groundTruth(await night());
      return [...new Set([...truth.incidents.flatMap((incident) => [...incident.affected, ...incident.proving]), ...truth.leaks, ...truth.replay, ...truth.refused])];
    },
    // No file the bundle adds says which category a night has.
    secrets: () => Object.keys(CATEGORIES).map((category) => new RegExp(`"${category}"|: ${category}\\b`)),
    nowhere: () => [],
    async solve(work) {
      const files = Object.fromEntries(walk(join(work, 'handout')).map((path) => [relative(work, path), readFileSync(path, 'utf8')]));
      const solution = solveHandout(7, files);
      writeFileSync(join(work, 'diagnosis.yaml'), stringify(solution.diagnosis));
      writeFileSync(join(work, 'mitigation.yaml'), stringify(solution.mitigation));
    },
    services: true,
  },
  {
    id: '07-api-contract-review',
    seed: 11,
    modules: ['base.ts', 'flaws.ts', 'generate.ts', 'checks.ts', 'pack.ts'],
    definitions: [/function (generateHandout|baseContract)\b/, /\bFLAWS\s*:/, /\bplant\(contract/],
    publicPoints: 35,
    async handout() {
      const folder = mkdtempSync(join(tmpdir(), 'lab07-handout-'));
      try {
        return Object.fromEntries(writeContractHandout(folder, 11).map((file) => [file, readFileSync(join(folder, file), 'utf8')]));
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },
    async answers() {
      return expectedFindings(await lintGovernance(generateHandout(11).contract)).map((finding) => finding.place);
    },
    secrets: () => [],
    // The kinds of flaw the generator plants (a rule id may contain one: no-error-in-success).
    nowhere: () => FLAWS.map((flaw) => new RegExp(`(?<![\\w-])${flaw.kind}(?![\\w-])`)),
    async solve(work) {
      // A reviewer with the catalogue: lint the handout, report each rule and place, correct the contract compatibly.
      const handout = parse(readFileSync(join(work, 'handout/returns-api.yaml'), 'utf8')) as unknown;
      const findings = expectedFindings(await lintGovernance(handout)).map(({ rule, place }) => ({ rule, pointer: place, severity: severityOf(rule as RuleId), fix: `Make ${place} meet ${rule}.` }));
      const corrected = baseContract();
      const offsetOnly = generateHandout(11).planted.find((flaw) => flaw.kind === 'offset-only-paging');
      if (offsetOnly) {
        const operation = ((corrected.paths as JsonObject)[offsetOnly.site.split(' ')[1]!] as JsonObject).get as JsonObject;
        operation.parameters = [...(operation.parameters as JsonObject[]), { name: 'offset', in: 'query', deprecated: true, schema: { type: 'integer', minimum: 0 } }];
      }
      writeFileSync(join(work, 'findings.yaml'), stringify({ seed: 11, findings }));
      writeFileSync(join(work, 'openapi.yaml'), stringify(corrected, { aliasDuplicateObjects: false }));
    },
    otherSeed: /\/seed: 12 is not the contract here: this take-home bundle holds the contract of seed 11/,
    services: false,
  },
];

let incident: ReturnType<typeof generateIncident> | undefined;
/** Lab 06's night of seed 7, replayed once for the whole file. */
const night = () => (incident ??= generateIncident(7));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

it("refuses --seed for a lab that gives every candidate its starter", async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'lab-pack-seed-'));
  try {
    await expect(packLab(findLab(resolveLabsDir(), '01'), join(scratch, 'x.tgz'), { seed: 3 })).rejects.toThrow(PackError);
    await expect(packLab(findLab(resolveLabsDir(), '01'), join(scratch, 'x.tgz'), { seed: 3 })).rejects.toThrow(/same handout.*--seed is for labs whose handout differs per seed/);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

describe.each(CASES)('a take-home bundle of $id, packed with --seed $seed', (lab) => {
  const LAB: Lab = findLab(resolveLabsDir(), lab.id);
  let scratch: string;
  let bundle: string;
  let files: string[];

  const inBundle = (command: string, args: string[], timeout = 240_000): SpawnSyncReturns<string> =>
    spawnSync(command, args, { cwd: bundle, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1' } });
  const text = (file: string) => readFileSync(join(bundle, file), 'utf8');
  /** The handout itself may name every order, line and place: that is what the candidate works from. */
  const isHandout = (file: string) => file.startsWith('work/handout/') || file.startsWith(`labs/${lab.id}/starter/handout/`);
  /** The same file in the repository (work/ is the starter), if there is one. */
  const inRepository = (file: string) => {
    const path = join(PROJECT_ROOT, file.startsWith('work/') ? `labs/${lab.id}/starter/${file.slice('work/'.length)}` : file);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  };

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'lab-take-home-seed-'));
    expect(relative(PROJECT_ROOT, scratch).startsWith('..')).toBe(true);
    const pack = await packLab(LAB, join(scratch, 'take-home.tgz'), { seed: lab.seed });
    expect(pack.seed).toBe(lab.seed);
    const untar = spawnSync('tar', ['-xzf', pack.archive, '-C', scratch], { encoding: 'utf8' });
    expect(untar.status, untar.stderr).toBe(0);
    bundle = join(scratch, pack.folder);
    files = walk(bundle).map((path) => relative(bundle, path));
  }, 120_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("has that seed's handout ready in work/, and the lab's starter is the same", async () => {
    const expected = await lab.handout();
    const work = files.filter((file) => file.startsWith('work/')).map((file) => file.slice('work/'.length));
    expect(work.sort()).toEqual(Object.keys(expected).sort());
    for (const [path, content] of Object.entries(expected)) {
      expect(text(`work/${path}`), path).toBe(content);
      expect(text(`labs/${lab.id}/starter/${path}`), path).toBe(content);
    }
    // npm start shows the world of that seed (lab 06: the night, as it left the ERP and the carrier).
    expect((JSON.parse(text('package.json')) as { scripts: { start: string } }).scripts.start).toBe(`node bin/lab.js start ${lab.id} --seed ${lab.seed}`);
  });

  it('holds no module that plants, lists or scores the ground truth', () => {
    expect(files.filter((file) => /(^|\/)(hidden|solutions|mutants)\//.test(file))).toEqual([]);
    const shipped = files.filter((file) => file.startsWith(`labs/${lab.id}/`)).map((file) => basename(file));
    for (const module of lab.modules) expect(shipped, module).not.toContain(module);
    for (const file of files.filter((name) => /\.(ts|mts|js|mjs|json|ya?ml|md)$/.test(name))) {
      for (const definition of lab.definitions) expect(definition.test(text(file)), `${file} defines ${definition}`).toBe(false);
    }
  });

  it("holds no answer of the packed seed outside its handout, and nothing that names the seed's causes or flaws", async () => {
    const answers = await lab.answers();
    expect(answers.length).toBeGreaterThan(0);
    for (const file of files.filter((name) => !isHandout(name))) {
      const content = text(file);
      // A file as the repository has it holds no seed's answers: an example in the brief is not one.
      const repository = inRepository(file);
      const leaked = answers.filter((answer) => content.includes(answer) && !repository?.includes(answer));
      expect(leaked, `${file} holds answers of seed ${lab.seed}`).toEqual([]);
      if (repository === undefined || file.startsWith('work/')) {
        for (const secret of lab.secrets()) expect(secret.test(content), `${file} matches ${secret}`).toBe(false);
      }
    }
    for (const file of files) for (const secret of lab.nowhere()) expect(secret.test(text(file)), `${file} matches ${secret}`).toBe(false);
  });

  it('installs with npm, outside the repository', { timeout: 600_000 }, () => {
    const install = inBundle('flock', ['/tmp/npm.lock', 'npm', 'install', '--prefer-offline', '--no-audit', '--no-fund'], 580_000);
    expect(install.status, install.stdout + install.stderr).toBe(0);
  });

  it("cannot write another seed's handout: the generator is not in the bundle", { timeout: 60_000 }, () => {
    const handout = inBundle('npx', ['tsx', `labs/${lab.id}/handout.ts`, '--seed', String(lab.seed + 1), join(scratch, 'other')]);
    expect(handout.status).toBe(1);
    expect(handout.stderr).toContain(`This is a take-home bundle`);
    expect(handout.stderr).toContain(`(seed ${lab.seed})`);
    expect(existsSync(join(scratch, 'other'))).toBe(false);
  });

  // Only a lab with services has a night to show; lab 07's bundle starts none.
  if (lab.services) it("starts the services as the packed night left them (npm start)", { timeout: 120_000 }, async () => {
    const services = await npmStart(bundle, 'Press Ctrl-C');
    const output = services.output();
    try {
      expect(services.running, output).toBe(true);
      expect(output).toContain(`(seed ${lab.seed})`);
      const variable = (name: string) => new RegExp(`export ${name}=(\\S+)`).exec(output)?.[1];
      const response = await fetch(`${variable('PARTNER_URL')}/shipments?limit=100`, { headers: { 'x-api-key': variable('PARTNER_API_KEY')! } });
      const held = ((await response.json()) as { data: Array<{ id: string; reference: string }> }).data.map(({ id, reference }) => ({ shipmentId: id, reference }));
      expect(held).toEqual(JSON.parse(text('work/handout/state/carrier-bookings.json')));
    } finally {
      await services.stop();
    }
  });

  it('checks the packed starter with the public checks only (npm run check exits 1)', { timeout: 180_000 }, () => {
    const check = inBundle('npm', ['run', 'check']);
    expect(check.status, check.stdout + check.stderr).toBe(1);
    expect(check.stdout).toMatch(new RegExp(`Score: [\\d.]+/${lab.publicPoints}\\b`));
  });

  it("passes every public check with an answer written from the bundle's handout, and the trainer's lab grade gives it full marks", { timeout: 240_000 }, async () => {
    const work = join(bundle, 'work');
    await lab.solve(work);
    const check = inBundle('npm', ['run', 'check']);
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain(`Score: ${lab.publicPoints}/${lab.publicPoints}`);
    const graded = await gradeLab(LAB, work, { seed: 5 });
    expect(graded.checks.filter((result) => result.status !== 'pass')).toEqual([]);
    expect(graded.score).toBe(100);
  });

  if (lab.otherSeed !== undefined) it('says so when the answer names another seed than the one the bundle holds', { timeout: 180_000 }, () => {
    const findings = join(bundle, 'work', 'findings.yaml');
    const original = readFileSync(findings, 'utf8');
    writeFileSync(findings, original.replace(`seed: ${lab.seed}`, `seed: ${lab.seed + 1}`));
    try {
      const check = inBundle('npm', ['run', 'check']);
      expect(check.status, check.stdout + check.stderr).toBe(1);
      expect(check.stdout).toMatch(lab.otherSeed!);
    } finally {
      writeFileSync(findings, original);
    }
  });
});
