// How long grading each lab takes, end to end: `lab grade <lab> solutions/<lab>` as a user runs
// it (process start, environment start, scenario, submission, checks, report), on the embedded
// environment. Usage: npm run bench:grading   (writes bench/grading/RESULTS.md)
//
// npm run bench:grading -- 03 04 measures only those labs (no RESULTS.md written).
// npm run bench:grading -- --baseline <checkout> grades each lab alternately with this checkout
// and another one (e.g. `git worktree add /tmp/before <commit>`, its node_modules linked to this
// one's), so that a change's cost is measured under the same load, and prints the growth per lab
// instead of writing RESULTS.md.
// npm run bench:grading -- --without-confinement does the same against this very commit with the
// machine's confinement switched off (no user of the run's own, mount namespace, cgroups, packet
// filter or rlimits: grader/runner/sandbox-host.ts answers as for a grader that is not root), so
// the same labs and solutions measure what the sandbox itself costs. Commit first: the baseline is
// a worktree of HEAD.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { listLabs, resolveLabsDir } from '../../grader/grading/index.ts';
import { referenceSeed } from './reference-seed.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const root = new URL('../../', import.meta.url).pathname;
const baselineFlag = process.argv.indexOf('--baseline');
const withoutConfinement = process.argv.includes('--without-confinement');
const baseline = baselineFlag === -1 ? (withoutConfinement ? unconfinedCheckout() : undefined) : process.argv[baselineFlag + 1];
if (baselineFlag !== -1 && !baseline) throw new Error('--baseline needs the folder of another checkout');
const only = process.argv.slice(2).filter((argument, index, all) => !argument.startsWith('--') && all[index - 1] !== '--baseline');
const labs = listLabs(resolveLabsDir()).filter((lab) => only.length === 0 || only.some((prefix) => lab.id.startsWith(prefix)));

/** Seconds `lab grade` takes in `checkout`, and the score it gave. */
function gradeOnce(checkout: string, lab: string, seed: number): { seconds: number; score: string } {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['bin/lab.js', 'grade', lab, `solutions/${lab}`, '--seed', String(referenceSeed(lab, checkout, seed)), '--format', 'json'], {
    cwd: checkout,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  // Exit 1 is a grading that lost points: a time all the same, its score shown.
  if (result.status !== 0 && result.status !== 1) throw new Error(`grading ${lab} in ${checkout} failed (exit ${result.status}):\n${result.stderr}`);
  const report = JSON.parse(result.stdout) as { score: number; max_score: number };
  return { seconds, score: `${report.score}/${report.max_score}` };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** A worktree of HEAD whose sandbox host reports no root, so nothing beyond the run's own process is confined. */
function unconfinedCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-unconfined-'));
  // PostgreSQL runs as nobody when the grader is root: it must reach the binaries in there.
  chmodSync(dir, 0o755);
  const added = spawnSync('git', ['worktree', 'add', '--detach', dir, 'HEAD'], { cwd: root, encoding: 'utf8' });
  if (added.status !== 0) throw new Error(`git worktree add failed: ${added.stderr}`);
  // A copy, not a link: a submission may import only packages inside the checkout's own
  // node_modules (the generated clients' workspace link is relative, so it points into the copy).
  cpSync(join(root, 'node_modules'), join(dir, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  const host = join(dir, 'grader/runner/sandbox-host.ts');
  const source = readFileSync(host, 'utf8');
  const unconfined = source.replace(/export function sandboxHost\(\): SandboxHost \{[^}]*\}/, 'export function sandboxHost(): SandboxHost {\n  return { root: false };\n}');
  if (unconfined === source) throw new Error(`${host}: sandboxHost() not found; update bench/grading/run.ts`);
  writeFileSync(host, unconfined);
  process.on('exit', () => spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root }));
  return dir;
}

if (baseline) {
  process.stdout.write(`| lab | ${withoutConfinement ? 'without confinement' : baseline} s | this checkout s | growth s |\n|---|---|---|---|\n`);
  // Labs the baseline does not have yet are left out.
  for (const { id } of labs.filter((lab) => existsSync(join(baseline, 'solutions', lab.id)))) {
    const before: number[] = [];
    const after: number[] = [];
    for (let run = 1; run <= RUNS; run++) {
      before.push(gradeOnce(baseline, id, run).seconds);
      after.push(gradeOnce(root, id, run).seconds);
    }
    process.stdout.write(`| ${id} | ${median(before).toFixed(1)} | ${median(after).toFixed(1)} | ${(median(after) - median(before)).toFixed(1)} |\n`);
  }
  process.exit(0);
}

const rows: string[] = [];
for (const { id } of labs) {
  const seconds: number[] = [];
  let score = '';
  for (let run = 1; run <= RUNS; run++) {
    const graded = gradeOnce(root, id, run);
    seconds.push(graded.seconds);
    score = graded.score;
  }
  seconds.sort((a, b) => a - b);
  const format = (value: number) => value.toFixed(1);
  rows.push(`| ${id} | ${format(seconds[0]!)} | ${format(seconds[Math.floor(seconds.length / 2)]!)} | ${format(seconds.at(-1)!)} | ${score} |`);
  process.stdout.write(`${rows.at(-1)}\n`);
}

const report = [
  '# Grading time per lab, end to end',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:grading\`: \`lab grade <lab> solutions/<lab> --format json\``,
  `run ${RUNS} times per lab (seeds 1..${RUNS}; labs 06 and 07 on the seed their reference answers are for) as a separate process, on the embedded environment.`,
  `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
  '',
  '| lab | fastest s | median s | slowest s | reference score |',
  '|---|---|---|---|---|',
  ...rows,
  '',
].join('\n');
// Sections below the table (## …) are other benchmarks' results written by hand: keep them.
const resultsUrl = new URL('./RESULTS.md', import.meta.url);
const previous = await readFile(resultsUrl, 'utf8').catch(() => '');
const kept = previous.indexOf('\n## ');
if (only.length === 0) await writeFile(resultsUrl, kept === -1 ? report : `${report}${previous.slice(kept)}`);
