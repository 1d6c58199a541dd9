// Grading time per lab on the docker path next to the embedded one: `lab grade <lab>
// solutions/<lab> --env docker|embedded --seed 1` as a user runs it, each a separate process (labs
// 06 and 07 on the seed their reference answers name).
// The first docker grading of a lab is "cold" (the page cache may not hold its images' layers
// yet, the JVM's class data is not shared); the runs after it are "warm".
// Usage: npx tsx bench/grading/docker.ts   (writes bench/grading/DOCKER-RESULTS.md; needs the images)
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { listLabs, resolveLabsDir } from '../../grader/grading/index.ts';
import { referenceSeed } from './reference-seed.ts';

const WARM_RUNS = Number(process.env.BENCH_RUNS ?? 2);
const root = new URL('../../', import.meta.url).pathname;

function grade(id: string, env: 'docker' | 'embedded'): { seconds: number; score: string } {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['bin/lab.js', 'grade', id, `solutions/${id}`, '--seed', String(referenceSeed(id, root, 1)), '--env', env, '--format', 'json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  // Exit 1 is a grading that lost points (a timing check on a loaded machine): a time all the same, its score shown.
  if (result.status !== 0 && result.status !== 1) throw new Error(`grading ${id} on ${env} failed (exit ${result.status}):\n${result.stderr}`);
  const report = JSON.parse(result.stdout) as { score: number; max_score: number };
  return { seconds, score: `${report.score}/${report.max_score}` };
}

const load = () => loadavg()[0]!.toFixed(1);
const loadAtStart = load();
const rows: string[] = [];
for (const { id } of listLabs(resolveLabsDir())) {
  const embedded = grade(id, 'embedded');
  const cold = grade(id, 'docker');
  const warmRuns = Array.from({ length: WARM_RUNS }, () => grade(id, 'docker'));
  const warm = warmRuns.map((run) => run.seconds).sort((a, b) => a - b);
  const format = (value: number) => value.toFixed(1);
  rows.push(`| ${id} | ${format(embedded.seconds)} | ${format(cold.seconds)} | ${format(warm[Math.floor(warm.length / 2)]!)} | ${embedded.score} | ${[cold, ...warmRuns].map((run) => run.score).join(', ')} |`);
  process.stdout.write(`${rows.at(-1)}\n`);
}

const report = [
  '# Grading time per lab: docker path and embedded',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx bench/grading/docker.ts\`: \`lab grade <lab> solutions/<lab> --seed 1 --format json\``,
  `(labs 06 and 07: the seed their reference answers are for) as a separate process; on docker the services and the submission run in containers. Warm is the median of ${WARM_RUNS} runs after the cold one.`,
  `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadAtStart} at the start and ${load()} at the end (shared with other jobs).`,
  '',
  '| lab | embedded s | docker cold s | docker warm s | score embedded | score docker (cold, warm) |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
].join('\n');
// Sections below the table (## …) are notes written by hand: keep them.
const resultsUrl = new URL('./DOCKER-RESULTS.md', import.meta.url);
const previous = await readFile(resultsUrl, 'utf8').catch(() => '');
const kept = previous.indexOf('\n## ');
await writeFile(resultsUrl, kept === -1 ? report : `${report}${previous.slice(kept)}`);
process.stdout.write('bench/grading/DOCKER-RESULTS.md written\n');
