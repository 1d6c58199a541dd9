// Hostile submissions graded end to end, the way a trainer grades a candidate: `lab grade … --out`.
// Each one tries a way a candidate who wants the job could beat the grader (see
// test/fixtures/hostile-grading/README.md). Whatever it tries, the suite asserts that:
//   the results file is written, the score is not above the untouched starter's, nothing of the
//   hidden checks or the reference reaches the report, the project tree is unchanged, and no
//   process or file of the run is left behind.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startEmbeddedEnvironment, type EmbeddedEnvironment } from '../../grader/environment/embedded.ts';
import { PROJECT_ROOT } from '../../grader/runner/project-paths.ts';
import { ENTRY_FILE_LIMIT_BYTES } from '../../grader/runner/submission.ts';
import { processesOf } from '../../grader/runner/sandbox-user.ts';

const FIXTURES = join(PROJECT_ROOT, 'test/fixtures/hostile-grading');
const FIXTURE_LABS = join(PROJECT_ROOT, 'test/fixtures/labs');
const SEED = 7;

interface Report {
  score: number;
  max_score: number;
  status: string;
  run: { status: string; stdout: string; stderr: string; buildError?: string; limitReason?: string; outputTruncated: boolean; sandbox: { protections: string[]; missing: string[] } };
  tests: Array<{ id: string; status: string; score: number; actual?: string }>;
}

interface Graded {
  exitCode: number | null;
  report: Report;
  text: string;
  /** What src/attack.ts printed on its `HOSTILE ` line, if it got that far. */
  hostile: Record<string, unknown> | undefined;
  /** The run's own temporary folder: empty once the grader is done. */
  leftovers: string[];
}

interface Lab {
  id: string;
  dir: string;
  labsDir?: string;
}

const LAB_01: Lab = { id: '01-customer-mapping', dir: join(PROJECT_ROOT, 'labs/01-customer-mapping') };
const LAB_02: Lab = { id: '02-resilient-partner-calls', dir: join(PROJECT_ROOT, 'labs/02-resilient-partner-calls') };
const LAB_04: Lab = { id: '04-dlq-replay', dir: join(PROJECT_ROOT, 'labs/04-dlq-replay') };
const LAB_05: Lab = { id: '05-reconciliation-sql', dir: join(PROJECT_ROOT, 'labs/05-reconciliation-sql') };
const LAB_07: Lab = { id: '07-api-contract-review', dir: join(PROJECT_ROOT, 'labs/07-api-contract-review') };
const LAB_90: Lab = { id: '90-fixture-order-totals', dir: join(FIXTURE_LABS, '90-fixture-order-totals'), labsDir: FIXTURE_LABS };
const LAB_91: Lab = { id: '91-fixture-contact-export', dir: join(FIXTURE_LABS, '91-fixture-contact-export'), labsDir: FIXTURE_LABS };

const scratch: string[] = [];
let treeBefore: string;

beforeAll(() => {
  treeBefore = projectTreeDigest();
});

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('a hostile submission', { timeout: 180_000 }, () => {
  describe('reaching the project', () => {
    it('cannot read the reference or the hidden checks by any path', async () => {
      const graded = await gradeHostile('read-project', LAB_01);
      expect(Object.keys(graded.hostile ?? {}).length).toBeGreaterThan(5);
      for (const [name, outcome] of Object.entries(graded.hostile ?? {})) expect(String(outcome), name).not.toMatch(/^READ/);
    });

    it('cannot write into the project, link it in or leave files outside its copy', async () => {
      const graded = await gradeHostile('write-project', LAB_01);
      for (const name of ['plant-package', 'plant-lab-file', 'symlink-out', 'hard-link-in', 'read-hard-link', 'write-tmp']) {
        expect(String(graded.hostile?.[name]), name).not.toMatch(/^DONE/);
      }
      expect(existsSync('/tmp/hostile-planted.txt')).toBe(false);
    });

    it('cannot bundle project files or the grader\'s secrets through a template-literal import', async () => {
      for (const name of ['glob-import', 'build-time-secrets']) {
        const graded = await gradeHostile(name, LAB_01);
        // Refused at build time, or left to run time where the sandbox refuses it.
        if (graded.report.run.status === 'build-error') expect(graded.report.run.buildError, name).toMatch(/outside what a submission may import/);
        else for (const [attempt, outcome] of Object.entries(graded.hostile ?? {})) expect(String(outcome), `${name} ${attempt}`).not.toMatch(/^READ/);
        expect(graded.text, name).not.toMatch(/root:[^,]*:|PATH=\//);
      }
    });

    it.each([
      ['glob-typescript', 'the TypeScript compiler, a devDependency'],
      ['glob-all-js', 'every .js file of node_modules, as text'],
    ])('cannot bundle installed packages past the package rules through a template-literal import: %s (%s)', async (name) => {
      const graded = await gradeHostile(name, LAB_01);
      expect(graded.report.run.status).toBe('build-error');
      // Refused before the bundler walks node_modules: no file of it was read, nothing was built.
      expect(graded.report.run.buildError).toMatch(/^src\/attack\.ts:\d+:\d+: an import whose path is built at run time .* is outside what a submission may import/);
      expect(graded.hostile).toBeUndefined();
      expect(graded.report.score).toBe(0);
    });

    it('cannot read files at build time through a planted input source map', async () => {
      const graded = await gradeHostile('source-map-read', LAB_01);
      for (const [name, outcome] of Object.entries(graded.hostile ?? {})) expect(String(outcome), name).not.toMatch(/^READ/);
      expect(graded.text).not.toMatch(/root:[^,]*:/);
    });

    it('that is too large to be source code is refused before anything is copied', async () => {
      const { dir, runTmp } = materialize(undefined, LAB_01);
      mkdirSync(join(dir, 'junk'));
      for (let index = 0; index < 5000; index += 1) writeFileSync(join(dir, 'junk', `f${index}`), '');
      const child = spawn(process.execPath, ['bin/lab.js', 'grade', LAB_01.id, dir, '--seed', String(SEED)], { cwd: PROJECT_ROOT, env: { ...process.env, TMPDIR: runTmp }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      expect(exitCode).toBe(2);
      expect(stderr).toMatch(/submission folder too large/);
      expect(readdirSync(runTmp).filter((name) => !name.startsWith('tsx-'))).toEqual([]);
    });

    it('with folders deeper than the system allows paths is refused, and nothing of it is left', async () => {
      // Each rename names short paths; the last folder ends up more than 4096 characters deep,
      // where no copy or measurement by path reaches (a partial copy used to stay in TMPDIR).
      const { dir, runTmp } = materialize(undefined, LAB_01);
      let deep = join(dir, 'deep');
      for (let level = 0; level < 12; level++) deep = join(deep, 'a'.repeat(200));
      mkdirSync(deep, { recursive: true });
      let below = join(dir, 'below');
      for (let level = 0; level < 10; level++) below = join(below, 'c'.repeat(200));
      mkdirSync(below, { recursive: true });
      writeFileSync(join(below, 'payload.bin'), Buffer.alloc(1024 * 1024));
      renameSync(join(dir, 'below'), join(deep, 'below'));
      // Node's rmSync cannot reach it either; rm walks relative to each folder.
      onTestFinished(() => void spawnSync('rm', ['-rf', join(dir, 'deep')]));
      const child = spawn(process.execPath, ['bin/lab.js', 'grade', LAB_01.id, dir, '--seed', String(SEED)], { cwd: PROJECT_ROOT, env: { ...process.env, TMPDIR: runTmp }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      expect(exitCode).toBe(2);
      expect(stderr).toMatch(/submission folder too large: .* or paths longer than the system allows/);
      expect(readdirSync(runTmp).filter((name) => !name.startsWith('tsx-'))).toEqual([]);
    });

    it.each([
      ['import-solution', 'an absolute import of the reference'],
      ['import-escape', 'a relative import that climbs out of the workspace'],
      ['import-reference-data', "the unit-test mocks, which hold the systems' expected mapping"],
      ['tsconfig-paths', 'a tsconfig path alias pointing at the reference'],
      ['import-as-text', 'the hidden checks imported as text'],
    ])('cannot bundle project files at build time: %s (%s)', async (name) => {
      const graded = await gradeHostile(name, LAB_01);
      expect(graded.report.run.status).toBe('build-error');
      expect(graded.report.run.buildError).toMatch(/outside what a submission may import/);
      expect(graded.report.score).toBe(0);
    });
  });

  describe('reaching the grader', () => {
    it('cannot use the admin API to erase the fault plan or the journal', async () => {
      const graded = await gradeHostile('admin-api', LAB_02);
      const statuses = Object.entries(graded.hostile ?? {});
      expect(statuses.length).toBeGreaterThan(20);
      for (const [name, status] of statuses) expect(typeof status === 'number' && status >= 200 && status < 300, `${name}: ${status}`).toBe(false);
    });

    it('cannot push its own calls out of the journal the checks read', async () => {
      const graded = await gradeHostile('journal-flood', LAB_02);
      expect(graded.hostile?.flood).toBe('10050 requests answered');
      expect(graded.report.score).toBe(0);
      for (const check of graded.report.tests) expect(check.actual).toMatch(/^the partner API's journal dropped its \d+ oldest requests/);
    });

    it('cannot make the grader inflate a gzip bomb or read records with hundreds of thousands of headers', async () => {
      const graded = await gradeHostile('kafka-record-bombs', LAB_04);
      expect(graded.hostile?.sameKeyHeaders).toBeDefined();
      expect(graded.hostile?.sameKeyHeaders).not.toBe('PRODUCED');
      expect(graded.hostile?.gzipBomb).toBeDefined();
      expect(graded.hostile?.gzipBomb).not.toBe('PRODUCED');
    });

    it('cannot signal the grader', async () => {
      const graded = await gradeHostile('signal-grader', LAB_01);
      expect(Object.keys(graded.hostile ?? {})).toEqual(['parent-kill', 'parent-term', 'parent-group', 'init']);
      for (const [name, outcome] of Object.entries(graded.hostile ?? {})) expect(outcome, name).toMatch(/^(EPERM|ESRCH)$/);
    });

    it('finds no secret in its environment or in other processes', async () => {
      const graded = await gradeHostile('secrets-hunt', LAB_01);
      expect(String(graded.hostile?.variables).split(',')).toEqual(['CRM_API_KEY', 'CRM_URL', 'ERP_CLIENT_ID', 'ERP_CLIENT_SECRET', 'ERP_URL', 'HOME', 'LAB_SEED', 'PATH', 'TMPDIR']);
      expect(Object.keys(graded.hostile ?? {}).filter((key) => key.startsWith('secret-in-'))).toEqual([]);
      expect(graded.hostile?.proc).toBe('ERR_ACCESS_DENIED');
    });

    it('cannot forge the verdict or touch the report file', async () => {
      const graded = await gradeHostile('report-forgery', LAB_01);
      expect(graded.hostile?.report).not.toMatch(/^WROTE/);
      expect(graded.report.status).toBe('fail');
      expect(graded.report.max_score).toBe(100);
    });

    it('cannot make a module entry forge results or kill the grader', async () => {
      const graded = await gradeHostile('module-hostile', LAB_90);
      expect(graded.exitCode).toBe(1);
    });
  });

  describe('reaching other runs and the network', () => {
    // Another candidate's run on this machine: its own services on loopback, as a cohort has them.
    let neighbour: EmbeddedEnvironment;
    let listener: Server;
    beforeAll(async () => {
      neighbour = await startEmbeddedEnvironment({ seed: SEED, services: ['erp', 'kafka'], ports: 'ephemeral' });
      listener = createServer((socket) => socket.destroy()).listen(0);
      await new Promise((resolve) => listener.once('listening', resolve));
    }, 60_000);
    afterAll(async () => {
      listener.close();
      await neighbour.stop();
    });

    it("reaches its own services and nothing else: not another run's, not the grader's, not the internet", async () => {
      const port = (listener.address() as { port: number }).port;
      const graded = await gradeHostile('neighbours', LAB_01, {
        NEIGHBOUR_ERP: new URL(neighbour.variables.ERP_URL!).host,
        NEIGHBOUR_KAFKA: neighbour.variables.KAFKA_BROKERS!,
        GRADER_LISTENER: `127.0.0.1:${port}`,
        GRADER_LISTENER_PORT: String(port),
      });
      expect(graded.report.run.sandbox.protections.join('\n')).toMatch(/packet filter/);
      expect(graded.hostile?.['own-crm']).toBe('CONNECTED');
      for (const name of ['neighbour-erp', 'neighbour-kafka', 'grader-listener', 'internet', 'loopback-v6']) {
        expect(graded.hostile?.[name], name).toMatch(/^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|EACCES|EPERM)$/);
      }
      // Nothing reached the other run's ERP.
      expect(await neighbour.systems.erp!.countRequests()).toBe(0);
    });

  });

  describe('exhausting the machine', () => {
    it('is stopped at the memory limit, outside the heap', async () => {
      const graded = await gradeHostile('memory-bomb', LAB_01);
      expect(graded.report.run.status).toBe('memory-limit');
      expect(graded.report.run.limitReason).toMatch(/memoryLimitMb/);
    });

    it('is stopped at the memory limit, in the heap', async () => {
      const graded = await gradeHostile('heap-bomb', LAB_01);
      expect(graded.report.run.status).toBe('memory-limit');
    });

    it('is stopped at the workspace size limit', async () => {
      const graded = await gradeHostile('disk-bomb', LAB_01);
      expect(graded.report.run.status).toBe('disk-limit');
      expect(graded.report.run.limitReason).toMatch(/workspaceLimitMb/);
    });

    it('is stopped at the workspace size limit also for files it deleted and holds open', async () => {
      const graded = await gradeHostile('unlinked-disk', LAB_01);
      expect(graded.report.run.status).toBe('disk-limit');
      expect(graded.report.run.limitReason).toMatch(/workspaceLimitMb/);
      // Stopped while it held them: it never got to say what it wrote.
      expect(graded.hostile).toBeUndefined();
    });

    it('is stopped at the open-files limit', async () => {
      const graded = await gradeHostile('open-files', LAB_01);
      expect(graded.report.run.status).toBe('open-files-limit');
    });

    it('that fills its workspace with empty folders is stopped at the workspace size limit', async () => {
      const graded = await gradeHostile('empty-dirs', LAB_01);
      expect(graded.report.run.status).toBe('disk-limit');
    });

    it('leaves nothing behind with paths longer than the system allows', async () => {
      const graded = await gradeHostile('deep-path', LAB_01);
      expect(Number(graded.hostile?.depth)).toBeGreaterThan(16);
    });

    it('cannot exhaust the embedded broker inside the grader', async () => {
      const graded = await gradeHostile('kafka-partition-bomb', LAB_04);
      expect(graded.hostile?.huge).not.toBe('CREATED');
      expect(graded.hostile?.many).not.toBe('CREATED');
    });

    it('cannot leave Unix sockets behind in folders every user may write to', async () => {
      const graded = await gradeHostile('socket-litter', LAB_01);
      const outcomes = Object.entries(graded.hostile ?? {});
      expect(outcomes.length).toBe(4);
      for (const [path, outcome] of outcomes) {
        expect(outcome, path).not.toBe('BOUND');
        expect(existsSync(path), path).toBe(false);
      }
    });

    it('cannot make the grader parse an answers file it cannot hold', async () => {
      const { dir, runTmp } = materialize(undefined, LAB_07);
      // A flow sequence of a million items: seconds and half a gigabyte to parse, were it read.
      writeFileSync(join(dir, 'findings.yaml'), `seed: 1\nfindings: []\npadding: [${'1,'.repeat(ENTRY_FILE_LIMIT_BYTES)}1]\n`);
      const graded = await gradeChecked(LAB_07, { dir, runTmp });
      expect(graded.report.run.status).toBe('build-error');
      expect(graded.report.run.buildError).toMatch(/findings\.yaml: [\d,]+ bytes; .* at most 256 KiB/);
    });

    it('cannot make the grader overflow its stack with nested YAML', async () => {
      const { dir, runTmp } = materialize(undefined, LAB_07);
      writeFileSync(join(dir, 'openapi.yaml'), `openapi: ${'['.repeat(60_000)}${']'.repeat(60_000)}\n`);
      const graded = await gradeChecked(LAB_07, { dir, runTmp });
      expect(graded.report.run.status).toBe('build-error');
    });

    it('that ignores SIGTERM and floods its output is killed at the time limit, its output capped', async () => {
      const graded = await gradeHostile('linger', LAB_91);
      expect(graded.report.run.status).toBe('timeout');
      expect(graded.report.run.outputTruncated).toBe(true);
    });
  });

  describe('in SQL', () => {
    it('cannot read files, run programs, write, escalate or read the grader schema', async () => {
      const graded = await gradeHostile('sql-files-and-roles', LAB_05);
      const stderr = graded.report.run.stderr;
      for (const name of ['read_file', 'copy_program', 'large_object', 'set_role', 'grader_rows', 'password_hashes', 'settings', 'extension', 'write']) {
        expect(stderr, name).toMatch(new RegExp(`^hostile_${name}: `, 'm'));
      }
      expect(graded.report.run.stdout).toMatch(/^hostile_grader_schema: 0 rows$/m);
    });

    it('has one time limit for the whole file', async () => {
      const graded = await gradeHostile('sql-slow-file', LAB_05);
      expect(graded.report.run.status).toBe('timeout');
      expect(graded.report.run.stderr).toMatch(/hostile_sleep_9: not run: the SQL file used up its time limit/);
    });

    it('cannot take the machine\'s memory through the database server', async () => {
      const graded = await gradeHostile('sql-memory', LAB_05);
      expect(graded.report.run.stderr).toMatch(/^hostile_memory: .*out of memory/m);
    });

    it('cannot flood the grader with rows or bytes', async () => {
      const graded = await gradeHostile('sql-huge-results', LAB_05);
      expect(graded.report.run.stdout).toMatch(/^hostile_many_rows: 10000 rows \(cut\)$/m);
      expect(graded.report.run.stderr).toMatch(/^hostile_wide_rows: cut: the results passed \d+ bytes$/m);
      expect(graded.text.length).toBeLessThan(2 * 1024 * 1024);
    });
  });
});

describe('the grader', { timeout: 180_000 }, () => {
  it('writes an error result when it is itself told to stop mid-grading', async () => {
    const { dir, runTmp } = materialize('linger', LAB_01);
    const out = join(dirname(runTmp), 'out', 'report.json');
    const child = spawn(process.execPath, ['bin/lab.js', 'grade', LAB_01.id, dir, '--seed', String(SEED), '--format', 'json', '--out', out], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TMPDIR: runTmp },
      stdio: 'ignore',
    });
    await until(() => submissionRunningUnder(child.pid!));
    child.kill('SIGTERM');
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    expect(exitCode).toBe(143);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report & { message: string };
    expect(report.status).toBe('error');
    expect(report.message).toMatch(/interrupted by SIGTERM/);
    await until(() => readdirSync(runTmp).filter((name) => !name.startsWith('tsx-')).length === 0);
  });
});

const starterScores = new Map<string, Promise<number>>();

/**
 * Grades a hostile submission and asserts what every hostile submission must leave intact.
 * `{{NAME}}` in the folder's files is replaced by `values.NAME` (addresses known only at run time).
 */
async function gradeHostile(name: string, lab: Lab, values: Record<string, string> = {}): Promise<Graded> {
  return gradeChecked(lab, materialize(name, lab, values));
}

async function gradeChecked(lab: Lab, submission: { dir: string; runTmp: string }): Promise<Graded> {
  const starter = starterScores.get(lab.id) ?? gradeFolder(lab, materialize(undefined, lab)).then((graded) => graded.report.score);
  starterScores.set(lab.id, starter);
  const graded = await gradeFolder(lab, submission);

  expect([0, 1], `lab grade exited ${graded.exitCode}: ${graded.text.slice(0, 500)}`).toContain(graded.exitCode);
  expect(graded.report.score, 'score above the untouched starter').toBeLessThanOrEqual(await starter);
  for (const line of hiddenLines(lab)) expect(graded.text.includes(line), `hidden line in the report: ${line}`).toBe(false);
  expect(projectTreeDigest(), 'the project tree changed').toBe(treeBefore);
  // SQL and answers entries start no process: the grader reads their files itself.
  if (!readByTheGrader(lab)) {
    const user = Number(/dedicated user (\d+)/.exec(graded.report.run.sandbox.protections.join(' '))?.[1]);
    expect(Number.isInteger(user), 'the run had a dedicated user').toBe(true);
    expect(processesOf(user), 'processes of the run left running').toEqual([]);
  } else {
    expect(graded.report.run.sandbox.protections.join(' ')).toMatch(/^nothing of the submission runs/);
  }
  expect(graded.leftovers, 'files of the run left behind').toEqual([]);
  return graded;
}

function readByTheGrader(lab: Lab): boolean {
  return /^\s*kind:\s*(sql|answers)\s*$/m.test(readFileSync(join(lab.dir, 'lab.yaml'), 'utf8'));
}

/** The lab's starter with a hostile folder laid over it, in a scratch folder of its own. */
function materialize(name: string | undefined, lab: Lab, values: Record<string, string> = {}): { dir: string; runTmp: string } {
  const root = mkdtempSync(join(tmpdir(), 'hostile-'));
  scratch.push(root);
  chmodSync(root, 0o755);
  const dir = join(root, 'submission');
  const runTmp = join(root, 'tmp');
  mkdirSync(runTmp, { mode: 0o755 });
  chmodSync(runTmp, 0o755);
  mkdirSync(join(root, 'out'), { mode: 0o700 });
  cpSync(join(lab.dir, 'starter'), dir, { recursive: true });
  if (name === undefined) return { dir, runTmp };
  const overlay = join(FIXTURES, name);
  for (const file of filesUnder(overlay)) {
    const text = Object.entries({ ...values, PROJECT: PROJECT_ROOT }).reduce((current, [key, value]) => current.replaceAll(`{{${key}}}`, value), readFileSync(join(overlay, file), 'utf8'));
    if (file === 'attack.sql') {
      const entry = join(dir, 'reconciliation.sql');
      writeFileSync(entry, readFileSync(entry, 'utf8') + text);
      continue;
    }
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  if (existsSync(join(overlay, 'src/attack.ts'))) {
    renameSync(join(dir, 'src/main.ts'), join(dir, 'src/starter-main.ts'));
    writeFileSync(
      join(dir, 'src/main.ts'),
      [
        "import { attack } from './attack.ts';",
        'const outcome = await attack().catch((error: unknown) => ({ error: String(error) }));',
        'console.error(`HOSTILE ${JSON.stringify(outcome)}`);',
        "await import('./starter-main.ts');",
        '',
      ].join('\n'),
    );
  }
  return { dir, runTmp };
}

async function gradeFolder(lab: Lab, { dir, runTmp }: { dir: string; runTmp: string }): Promise<Graded> {
  const out = join(dirname(runTmp), 'out', 'report.json');
  const args = ['bin/lab.js', 'grade', lab.id, dir, '--seed', String(SEED), '--format', 'json', '--out', out, ...(lab.labsDir ? ['--labs-dir', lab.labsDir] : [])];
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: { ...process.env, TMPDIR: runTmp }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  expect(existsSync(out), `no results file; lab grade said: ${stderr}`).toBe(true);
  const text = readFileSync(out, 'utf8');
  const report = JSON.parse(text) as Report;
  const line = /^HOSTILE (.*)$/m.exec(report.run.stderr)?.[1];
  // tsx, which runs the grader itself, keeps its compile cache in the temporary folder.
  const leftovers = readdirSync(runTmp).filter((name) => !name.startsWith('tsx-'));
  return { exitCode, report, text, hostile: line ? (JSON.parse(line) as Record<string, unknown>) : undefined, leftovers };
}

/**
 * Lines that only the hidden checks and the reference hold: long lines of the reference that the
 * starter does not share, and the checks' code lines (strings left out: hints are meant to show).
 */
function hiddenLines(lab: Lab): string[] {
  const starterText = filesUnder(join(lab.dir, 'starter')).map((file) => readFileSync(join(lab.dir, 'starter', file), 'utf8')).join('\n');
  const solutionDir = join(dirname(dirname(lab.dir)), 'solutions', lab.id);
  const reference = existsSync(solutionDir)
    ? filesUnder(solutionDir).filter((file) => !file.startsWith('mutants/')).flatMap((file) => readFileSync(join(solutionDir, file), 'utf8').split('\n'))
    : [];
  const checks = filesUnder(lab.dir)
    .filter((file) => !file.startsWith('starter/') && /\.ts$/.test(file))
    .flatMap((file) => readFileSync(join(lab.dir, file), 'utf8').split('\n'))
    .filter((line) => !/['"`]/.test(line));
  return [...new Set([...reference, ...checks].map((line) => line.trim()).filter((line) => line.length >= 40 && !starterText.includes(line)))];
}

function filesUnder(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (lstatSync(path).isDirectory()) walk(path);
      else files.push(relative(dir, path));
    }
  };
  walk(dir);
  return files;
}

/**
 * Every path a submission must not change, with each file's size, mode and modification time.
 * A folder counts by its entries (its own times move whenever a tool caches something beside it).
 */
function projectTreeDigest(): string {
  const hash = createHash('sha256');
  const visit = (path: string) => {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    hash.update(`${relative(PROJECT_ROOT, path)}\0${stat.mode}\0${stat.isDirectory() ? '' : `${stat.size}\0${stat.mtimeMs}`}\n`);
    if (!stat.isDirectory()) return;
    for (const name of readdirSync(path).sort()) {
      // vitest keeps its run cache here; it is not the project.
      if (path.endsWith('node_modules') && name === '.vite') continue;
      visit(join(path, name));
    }
  };
  for (const top of ['labs', 'solutions', 'grader', 'mock-systems', 'node_modules', 'package.json', 'package-lock.json']) visit(join(PROJECT_ROOT, top));
  return hash.digest('hex');
}

/** A built submission of this grader's is running (it shows as the bundle under node). */
function submissionRunningUnder(graderPid: number): boolean {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === graderPid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('.lab-main.mjs')) return true;
    } catch {
      // gone
    }
  }
  return false;
}

async function until(condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
