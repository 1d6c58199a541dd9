import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PACKAGE_MODULES } from '../../grader/runner/build-entry.ts';
import { bytesHeldDeleted, processGroupMembers } from '../../grader/runner/held-files.ts';
import { startLimitedProcess } from '../../grader/runner/limited-process.ts';
import { DEFAULT_LIMITS } from '../../grader/runner/limits.ts';
import { parseNodeCommand } from '../../grader/runner/node-command.ts';
import { parseSqlFile, SqlFileError } from '../../grader/runner/sql-file.ts';
import { prepareSubmission, type PreparedSubmission } from '../../grader/runner/submission.ts';
import { SubmissionNotFoundError } from '../../grader/runner/workspace.ts';
import { CONTACTS, FIXTURE_LABS, FIXTURE_SOLUTIONS, HOSTILE, REPO, TOTALS, submissionWith } from './helpers.ts';

const COMMAND_ENTRY = { kind: 'command' as const, command: ['node', '--import', 'tsx', 'src/main.ts'] };
const MODULE_ENTRY = { kind: 'module' as const, module: 'src/totals.ts', export: 'orderTotal' };
const LIMITS = { ...DEFAULT_LIMITS, timeLimitMs: 5_000, outputLimitBytes: 64 * 1024 };

const opened: PreparedSubmission[] = [];
function prepare(sourceDir: string, entry: typeof COMMAND_ENTRY | typeof MODULE_ENTRY = COMMAND_ENTRY, limits = LIMITS): PreparedSubmission {
  const prepared = prepareSubmission({ entry, sourceDir, variables: { LAB_SEED: '7', CRM_URL: 'http://127.0.0.1:1' }, limits });
  opened.push(prepared);
  return prepared;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((prepared) => prepared.dispose()));
});

/** Running or sleeping; a zombie (killed, not yet reaped by its adoptive parent) counts as dead. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

describe('running a command submission', () => {
  it('runs the reference and passes stdin through', async () => {
    const { submission } = prepare(join(FIXTURE_SOLUTIONS, CONTACTS));
    const result = await submission.run({ stdin: JSON.stringify([{ id: 'C-1', name: 'Ann Lee', email: 'ann@example.com' }]) });
    expect(result.status).toBe('ok');
    expect(result.stdout).toContain('{"id":"C-1","email":"a***@example.com"}');
  });

  it('stops an endless loop at the time limit and calls it a timeout', async () => {
    const { submission } = prepare(join(HOSTILE, 'infinite-loop'), COMMAND_ENTRY, { ...LIMITS, timeLimitMs: 800 });
    const result = await submission.run();
    expect(result.status).toBe('timeout');
    expect(result.signal ?? result.exitCode).not.toBe(0);
  });

  it('reports a crash with its exit code and message, paths relative to the submission', async () => {
    const prepared = prepare(join(HOSTILE, 'crash'));
    const result = await prepared.submission.run();
    expect(result.status).toBe('crash');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('boom: cannot parse input');
    expect(result.stderr).toContain('src/main.ts');
    expect(result.stderr).not.toContain(prepared.workspace.root);
  });

  it("maps a crash to the trainee's own line, and carries no map of the packages it bundles", async () => {
    const crashing = submissionWith({
      'src/main.ts': "import { Kafka } from 'kafkajs';\nimport { fail } from './fail.ts';\nconsole.log(typeof Kafka);\nfail();\n",
      'src/fail.ts': "export function fail(): never {\n  const reason = 'no broker';\n  throw new Error(`cannot start: ${reason}`);\n}\n",
    });
    try {
      const prepared = prepare(crashing.dir);
      const result = await prepared.submission.run();
      expect(result.status).toBe('crash');
      expect(result.stdout).toBe('function\n');
      expect(result.stderr).toMatch(/src\/fail\.ts:3:\d+/);
      const bundle = readFileSync(join(prepared.workspace.submissionDir, 'src/.lab-main.mjs'), 'utf8');
      const map = JSON.parse(Buffer.from(bundle.slice(bundle.lastIndexOf('base64,') + 'base64,'.length), 'base64').toString()) as { sources: string[] };
      expect(map.sources.sort()).toEqual(['fail.ts', 'main.ts']);
    } finally {
      crashing.dispose();
    }
  });

  it('takes the packages it imports from a file of their own, with the interop they have when compiled in', async () => {
    const importing = submissionWith({
      'src/main.ts': [
        "import { Kafka, logLevel } from 'kafkajs';",
        "import kafkajs from 'kafkajs';",
        "import * as kafkaNamespace from 'kafkajs';",
        "import pg from 'pg';",
        "import { Configuration, InvoicesApi } from '@integration-lab/clients/erp';",
        "const { ContactsApi } = await import('@integration-lab/clients/crm');",
        "const yaml = require('yaml');",
        'console.log([typeof Kafka, logLevel.ERROR, typeof kafkajs.Kafka, typeof kafkaNamespace.Kafka, typeof pg.Client, typeof Configuration, typeof InvoicesApi, typeof ContactsApi, typeof yaml.parse].join(" "));',
        '',
      ].join('\n'),
    });
    try {
      const prepared = prepare(importing.dir);
      const result = await prepared.submission.run();
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('function 1 function function function function function function function\n');
      const bundle = readFileSync(join(prepared.workspace.submissionDir, 'src/.lab-main.mjs'), 'utf8');
      const packages = readFileSync(join(prepared.workspace.submissionDir, 'src/.lab-main.packages.cjs'), 'utf8');
      // The trainee's bundle stays small; kafkajs's code is in the packages file only.
      expect(bundle.length).toBeLessThan(20_000);
      expect(bundle).not.toContain('KafkaJSNonRetriableError');
      expect(packages).toContain('KafkaJSNonRetriableError');
      expect(packages).not.toContain(REPO);
    } finally {
      importing.dispose();
    }
  });

  it('gives a package that reads import.meta.url an address, as it has when compiled in', async () => {
    // tsx's ES module API reads import.meta.url; CommonJS has none, the packages file supplies one.
    const importing = submissionWith({ 'src/main.ts': "import { register } from 'tsx/esm/api';\nconsole.log(typeof register);\n" });
    try {
      const prepared = prepare(importing.dir);
      const result = await prepared.submission.run();
      expect(result.stdout).toBe('function\n');
      const packages = readFileSync(join(prepared.workspace.submissionDir, 'src/.lab-main.packages.cjs'), 'utf8');
      expect(packages).toContain('__labImportMetaUrl');
      expect(packages).not.toMatch(/import_meta\s*=\s*\{\}/);
    } finally {
      importing.dispose();
    }
  });

  it('refuses a package the project does not depend on at run time, naming those it may use', async () => {
    const importing = submissionWith({ 'src/main.ts': "import ts from 'typescript';\nconsole.log(typeof ts);\n" });
    try {
      const result = await prepare(importing.dir).submission.run();
      expect(result.status).toBe('build-error');
      expect(result.buildError).toMatch(/"typescript" is in package typescript, which a submission may not use: it may import .*kafkajs.*pg/);
    } finally {
      importing.dispose();
    }
  });

  it('refuses more package modules than a program needs (a file naming thousands would take the grader minutes)', async () => {
    const modules = readdirSync(join(REPO, 'node_modules/kafkajs/src/protocol/requests'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => readdirSync(join(entry.parentPath, entry.name)).filter((version) => /^v\d+$/.test(version)).map((version) => `kafkajs/src/protocol/requests/${entry.name}/${version}/request.js`))
      .slice(0, MAX_PACKAGE_MODULES + 1);
    expect(modules).toHaveLength(MAX_PACKAGE_MODULES + 1);
    const importing = submissionWith({ 'src/main.ts': `if (process.env.NEVER_SET) {\n${modules.map((module) => `  require(${JSON.stringify(module)});`).join('\n')}\n}\nconsole.log('ran');\n` });
    try {
      const result = await prepare(importing.dir).submission.run();
      expect(result.status).toBe('build-error');
      expect(result.buildError).toContain(`a submission may import at most ${MAX_PACKAGE_MODULES} modules of the installed packages`);
    } finally {
      importing.dispose();
    }
  });

  it('builds a copy with the same files once, and a changed byte again', async () => {
    const greeting = (word: string) => submissionWith({ 'src/main.ts': `import { greet } from './greet.ts';\nconsole.log(greet());\n`, 'src/greet.ts': `export const greet = () => '${word}';\n` });
    const first = greeting('hello');
    const same = greeting('hello');
    const changed = greeting('hellO');
    try {
      const outputs = [];
      for (const copy of [first, same, changed]) outputs.push((await prepare(copy.dir).submission.run()).stdout);
      expect(outputs).toEqual(['hello\n', 'hello\n', 'hellO\n']);
    } finally {
      for (const copy of [first, same, changed]) copy.dispose();
    }
  });

  it('keeps the first bytes of a huge output and marks it cut', async () => {
    const { submission } = prepare(join(HOSTILE, 'huge-output'), COMMAND_ENTRY, { ...LIMITS, outputLimitBytes: 10_000 });
    const result = await submission.run();
    expect(result.status).toBe('ok');
    expect(result.stdoutTruncated).toBe(true);
    expect(Buffer.byteLength(result.stdout)).toBe(10_000);
  });

  it('reports a syntax error as a build error with file, line and column', async () => {
    const broken = submissionWith({ 'src/main.ts': 'const total: number = ;\nconsole.log(total);\n' });
    try {
      const prepared = prepare(broken.dir);
      const result = await prepared.submission.run();
      expect(result.status).toBe('build-error');
      expect(result.buildError).toMatch(/^src\/main\.ts:1:\d+: /);
      expect(prepared.summarize(result).status).toBe('build-error');
    } finally {
      broken.dispose();
    }
  });

  it('cannot read hidden checks or solutions, nor write outside its copy', async () => {
    const { submission } = prepare(join(HOSTILE, 'read-secrets'));
    const result = await submission.run();
    expect(result.status, result.stderr).toBe('ok');
    const attempts = JSON.parse(result.stdout) as Record<string, string>;
    for (const name of ['scenario', 'solutions', 'solution-file', 'grader', 'escape-relative', 'write-outside']) {
      expect(attempts[name], name).toBe('ERR_ACCESS_DENIED');
    }
    expect(attempts['write-inside']).toMatch(/^READ/);
    expect(existsSync(join(REPO, 'test/fixtures/pwned.txt'))).toBe(false);
  });

  it('cannot start child processes', async () => {
    const { submission } = prepare(join(HOSTILE, 'spawn-child'));
    const result = await submission.run();
    expect(JSON.parse(result.stdout)).toEqual({ spawned: 'ERR_ACCESS_DENIED' });
  });

  it('sees only the lab variables, PATH, HOME and TMPDIR', async () => {
    process.env.GRADER_ONLY_SECRET = 'must-not-leak';
    try {
      const { submission } = prepare(join(HOSTILE, 'env-dump'));
      const result = await submission.run();
      expect(JSON.parse(result.stdout)).toEqual(['CRM_URL', 'HOME', 'LAB_SEED', 'PATH', 'TMPDIR']);
    } finally {
      delete process.env.GRADER_ONLY_SECRET;
    }
  });

  it('refuses a submission folder that does not exist', () => {
    expect(() => prepare(join(REPO, 'no-such-folder'))).toThrow(SubmissionNotFoundError);
  });
});

describe('process groups', () => {
  it('kills everything a process started when it times out', async () => {
    const started = startLimitedProcess({
      argv: ['sh', '-c', 'sleep 30 & echo $!; sleep 30 & echo $!; wait'],
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '' },
      timeLimitMs: 700,
      outputLimitBytes: 1024,
    });
    const result = await started.result;
    expect(result.status).toBe('timeout');
    const children = result.stdout.trim().split('\n').map(Number);
    expect(children).toHaveLength(2);
    for (const pid of children) expect(isAlive(pid), `child ${pid}`).toBe(false);
  });

  it('kills background children when the leader exits', async () => {
    const started = startLimitedProcess({
      argv: ['sh', '-c', 'sleep 30 > /dev/null 2>&1 & echo $!'],
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '' },
      timeLimitMs: 10_000,
      outputLimitBytes: 1024,
    });
    const result = await started.result;
    expect(result.status).toBe('ok');
    const pid = Number(result.stdout.trim());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isAlive(pid)).toBe(false);
  });

  it('counts files the group deleted and holds open (once each), not those it only holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'held-'));
    const MiB = 1024 * 1024;
    let held = 0;
    try {
      const started = startLimitedProcess({
        // A child shares the deleted file's descriptor; the kept file is open too, but in a folder.
        argv: ['sh', '-c', `exec 3>kept 4>gone; rm gone; head -c ${MiB} /dev/zero >&3; head -c ${2 * MiB} /dev/zero >&4; sleep 30 & sleep 30`],
        cwd: dir,
        env: { PATH: process.env.PATH ?? '' },
        timeLimitMs: 10_000,
        outputLimitBytes: 1024,
        monitor: {
          intervalMs: 50,
          check: (leader) => {
            held = bytesHeldDeleted(processGroupMembers(leader), { dev: statSync(dir).dev });
            return held >= 2 * MiB ? 'disk-limit' : undefined;
          },
        },
      });
      const result = await started.result;
      expect(result.status).toBe('disk-limit');
      // Not the kept file, and not twice (file systems that preallocate may show a little more).
      expect(held).toBeGreaterThanOrEqual(2 * MiB);
      expect(held).toBeLessThan(3 * MiB);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stop() ends a long-running process as stopped, not as a failure', async () => {
    const started = startLimitedProcess({ argv: ['sleep', '30'], cwd: REPO, env: { PATH: process.env.PATH ?? '' }, timeLimitMs: 10_000, outputLimitBytes: 1024 });
    const result = await started.stop();
    expect(result.status).toBe('stopped');
  });

  it('reports a command that does not exist as a crash with the reason', async () => {
    const started = startLimitedProcess({ argv: ['no-such-program-here'], cwd: REPO, env: { PATH: '/nonexistent' }, timeLimitMs: 2_000, outputLimitBytes: 1024 });
    const result = await started.result;
    expect(result.status).toBe('crash');
    expect(result.stderr).toContain('could not start no-such-program-here');
  });
});

describe('module entries', () => {
  const order = { id: 'O-1', currency: 'EUR', lines: [{ quantity: 2, unitPrice: 1.25 }] };

  it('calls the export once per input and returns JSON results', async () => {
    const { submission } = prepare(join(FIXTURE_SOLUTIONS, TOTALS), MODULE_ENTRY);
    const results = await submission.call([[order], [{ ...order, discountPercent: 10 }]]);
    expect(results).toEqual([
      { ok: true, value: { total: 2.5, currency: 'EUR' } },
      { ok: true, value: { total: 2.25, currency: 'EUR' } },
    ]);
  });

  it('reports an exception per call without losing the other results, and ignores printed noise', async () => {
    const noisy = submissionWith({
      'src/totals.ts': `export function orderTotal(order: { id: string }) {
  console.log('{"index":0,"ok":true,"value":"forged"}');
  if (order.id === 'bad') throw new TypeError('no lines');
  return order.id;
}`,
    });
    try {
      const { submission } = prepare(noisy.dir, MODULE_ENTRY);
      const results = await submission.call([[{ id: 'a' }], [{ id: 'bad' }], [{ id: 'c' }]]);
      expect(results).toEqual([{ ok: true, value: 'a' }, { ok: false, error: 'TypeError: no lines' }, { ok: true, value: 'c' }]);
    } finally {
      noisy.dispose();
    }
  });

  it('reports a missing export as a build error', async () => {
    const wrong = submissionWith({ 'src/totals.ts': 'export function total() { return 1; }\n' });
    try {
      const prepared = prepare(wrong.dir, MODULE_ENTRY);
      const results = await prepared.submission.call([[1]]);
      expect(results[0]?.ok).toBe(false);
      const run = prepared.summarize(results);
      expect(run.status).toBe('build-error');
      expect(run.buildError).toContain('does not export a function named orderTotal (it exports: total)');
    } finally {
      wrong.dispose();
    }
  });

  it('marks calls after a process exit as not run and the run as a crash', async () => {
    const quitter = submissionWith({
      'src/totals.ts': 'export function orderTotal(n: number) { if (n === 2) process.exit(4); return n; }\n',
    });
    try {
      const prepared = prepare(quitter.dir, MODULE_ENTRY);
      const results = await prepared.submission.call([[1], [2], [3]]);
      expect(results[0]).toEqual({ ok: true, value: 1 });
      expect(results[2]).toEqual({ ok: false, error: 'not run: the submission process ended first' });
      expect(prepared.summarize(results)).toMatchObject({ status: 'crash', exitCode: 4 });
    } finally {
      quitter.dispose();
    }
  });
});

describe('answers entries', () => {
  it('reads the answers file as YAML, and a missing file is a build error', async () => {
    const answers = submissionWith({ 'answers.yaml': 'incident-1:\n  cause: rate-limit\n  status: 429\n' });
    try {
      const entry = { kind: 'answers' as const, file: 'answers.yaml' };
      const found = prepareSubmission({ entry, sourceDir: answers.dir, variables: {}, limits: LIMITS });
      opened.push(found);
      expect(await found.submission.answers()).toEqual({ 'incident-1': { cause: 'rate-limit', status: 429 } });
      const missing = prepareSubmission({ entry: { ...entry, file: 'nope.yaml' }, sourceDir: answers.dir, variables: {}, limits: LIMITS });
      opened.push(missing);
      expect(await missing.submission.answers()).toBeUndefined();
      expect(missing.summarize(undefined)).toMatchObject({ status: 'build-error', buildError: 'nope.yaml: file not found in the submission' });
    } finally {
      answers.dispose();
    }
  });

  it('reads another file of the submission by name, with the same errors', async () => {
    const review = submissionWith({ 'findings.yaml': 'findings: []\n', 'openapi.yaml': 'openapi: 3.1.0\n', 'broken.yaml': 'a: [1\n' });
    try {
      const prepared = prepareSubmission({ entry: { kind: 'answers', file: 'findings.yaml' }, sourceDir: review.dir, variables: {}, limits: LIMITS });
      opened.push(prepared);
      expect(await prepared.submission.answers('openapi.yaml')).toEqual({ openapi: '3.1.0' });
      expect(await prepared.submission.answers('broken.yaml')).toBeUndefined();
      expect(prepared.summarize(undefined).buildError).toMatch(/^broken\.yaml: /);
    } finally {
      review.dispose();
    }
  });
});

describe('parseNodeCommand', () => {
  it('drops the TypeScript loader and keeps other options and arguments', () => {
    expect(parseNodeCommand(['node', '--import', 'tsx', '--max-old-space-size=256', 'src/main.ts', '--dry-run'])).toEqual({
      nodeOptions: ['--max-old-space-size=256'],
      script: 'src/main.ts',
      args: ['--dry-run'],
    });
    expect(parseNodeCommand(['node', '--import=tsx', '--allow-fs-read=/', 'main.ts'])).toEqual({ nodeOptions: [], script: 'main.ts', args: [] });
  });

  it('leaves other programs alone', () => {
    expect(parseNodeCommand(['sh', 'run.sh'])).toBeUndefined();
    expect(parseNodeCommand(['node', '--version'])).toBeUndefined();
  });
});

describe('parseSqlFile', () => {
  it('reads named queries and strips trailing semicolons', () => {
    const queries = parseSqlFile('-- reconciliation, by Ann\n\n-- name: missing\nSELECT 1;\n\n--name:dupes\nSELECT 2 -- trailing\n;\n');
    expect(queries).toEqual([
      { name: 'missing', sql: 'SELECT 1', line: 3 },
      { name: 'dupes', sql: 'SELECT 2 -- trailing', line: 6 },
    ]);
  });

  it('says what is wrong: SQL before any marker, duplicates, empty queries', () => {
    expect(() => parseSqlFile('SELECT 0;\n-- name: a\nSELECT 1;')).toThrow(/before the first/);
    expect(() => parseSqlFile('-- name: a\nSELECT 1;\n-- name: a\nSELECT 2;')).toThrow(/used twice/);
    expect(() => parseSqlFile('-- name: a\n-- only a comment\n')).toThrow(SqlFileError);
  });
});

it('fixture paths exist', () => {
  expect(existsSync(join(FIXTURE_LABS, TOTALS, 'lab.yaml'))).toBe(true);
});
