// How long grading each lab takes, end to end: `lab grade <lab> solutions/<lab>` as a user runs
// it (process start, environment start, scenario, submission, checks, report), on the embedded
// environment. Usage: npm run bench:grading   (writes bench/grading/RESULTS.md)
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { listLabs, resolveLabsDir } from '../../grader/grading/index.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const root = new URL('../../', import.meta.url).pathname;

const rows: string[] = [];
for (const { id } of listLabs(resolveLabsDir())) {
  const seconds: number[] = [];
  let score = '';
  for (let run = 1; run <= RUNS; run++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, ['bin/lab.js', 'grade', id, `solutions/${id}`, '--seed', String(run), '--format', 'json'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    seconds.push((performance.now() - started) / 1000);
    if (result.status !== 0) throw new Error(`grading ${id} failed (exit ${result.status}):\n${result.stderr}`);
    const report = JSON.parse(result.stdout) as { score: number; max_score: number };
    score = `${report.score}/${report.max_score}`;
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
  `run ${RUNS} times per lab (seeds 1..${RUNS}) as a separate process, on the embedded environment.`,
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
await writeFile(resultsUrl, kept === -1 ? report : `${report}${previous.slice(kept)}`);
