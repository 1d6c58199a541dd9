// How long `lab grade <lab> --batch` takes for a cohort: N copies of the lab's reference and
// mutants (so scores differ, as in a real cohort), graded through the command as a trainer runs it.
// Usage: tsx bench/cohort/run.ts [lab] [submissions] [jobs] [env]
//   (default 01, 100, the default pool, embedded; env docker grades each in its own containers)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLab, resolveLabsDir } from '../../grader/labs/catalogue.ts';
import { PROJECT_ROOT } from '../../grader/runner/project-paths.ts';

const [labQuery = '01', countText = '100', jobs, environment = 'embedded'] = process.argv.slice(2);
const lab = findLab(resolveLabsDir(), labQuery);
const count = Number(countText);
const scratch = mkdtempSync(join(tmpdir(), 'lab-bench-cohort-'));
try {
  const batch = join(scratch, 'cohort');
  const mutants = readdirSync(lab.mutantsDir);
  let references = 0;
  for (let index = 0; index < count; index++) {
    const dir = join(batch, `candidate-${String(index + 1).padStart(3, '0')}`);
    cpSync(lab.solutionDir, dir, { recursive: true, filter: (source) => source !== lab.mutantsDir });
    const mutant = mutants[index % (mutants.length + 1)];
    if (!mutant) references++;
    if (mutant) cpSync(join(lab.mutantsDir, mutant), dir, { recursive: true, filter: (source) => !source.endsWith('mutant.yaml') });
  }
  const started = performance.now();
  const result = spawnSync('node', [join(PROJECT_ROOT, 'bin/lab.js'), 'grade', lab.id, '--batch', batch, '--out', join(scratch, 'out'), '--seed', '1', '--env', environment, ...(jobs && jobs !== 'default' ? ['--jobs', jobs] : [])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status === 2 || result.error) throw new Error(`lab grade --batch failed: ${result.error?.message ?? result.stderr}`);
  // Exit 3 means some gradings met a grader or environment error; the time still counts, and so do they.
  const statuses = readFileSync(join(scratch, 'out', 'cohort.csv'), 'utf8').trim().split('\r\n').slice(1).map((row) => row.split(',')[1]);
  const counts = new Map<string, number>();
  for (const status of statuses) counts.set(status ?? '?', (counts.get(status ?? '?') ?? 0) + 1);
  const tally = [...counts].map(([status, n]) => `${n} ${status}`).join(', ');
  // Every copy of the reference must pass and every mutant copy fail: a cohort's verdicts, not only its time.
  console.log(`${lab.id} on ${environment}: ${count} submissions in ${seconds.toFixed(1)} s (${(seconds / count).toFixed(2)} s each), jobs ${jobs ?? 'default'}, ${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(1)}; ${tally}; ${references} reference copies`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
