import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCohortGrading } from '../../grader/cli/commands/grade-cohort.ts';
import { FIXTURE_LABS, FIXTURE_SOLUTIONS, REPO, TOTALS } from './helpers.ts';
import { parseXml } from './xml-well-formed.ts';

/**
 * `lab grade --batch` on a cohort of 20 submissions of the order-totals fixture (references
 * and mutants, so scores differ) plus one folder without the entry file.
 */
let scratch: string;
let batch: string;
let out: string;
const lab = (...args: string[]) => spawnSync('node', [join(REPO, 'bin/lab.js'), ...args, '--labs-dir', FIXTURE_LABS], { encoding: 'utf8', timeout: 240_000 });

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'lab-cohort-'));
  batch = join(scratch, 'cohort');
  out = join(scratch, 'grades');
  const reference = join(FIXTURE_SOLUTIONS, TOTALS);
  const mutants = readdirSync(join(reference, 'mutants'));
  for (let index = 0; index < 20; index++) {
    const dir = join(batch, `candidate-${String(index + 1).padStart(2, '0')}`);
    cpSync(join(reference, 'src'), join(dir, 'src'), { recursive: true });
    const mutant = mutants[index % (mutants.length + 1)];
    if (mutant) cpSync(join(reference, 'mutants', mutant, 'src'), join(dir, 'src'), { recursive: true });
  }
  mkdirSync(join(batch, 'no-entry-file', 'lib'), { recursive: true });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('lab grade --batch', () => {
  it('is told from a single grading by its folders, not by the values of options', () => {
    expect(isCohortGrading(['01', 'alice', '--seed', '11', '--format', 'json', '--out', 'a.json'])).toBe(false);
    expect(isCohortGrading(['04', 'bob', '--env', 'docker', '--verbose', '--exit-zero'])).toBe(false);
    expect(isCohortGrading(['01', 'alice', 'bob'])).toBe(true);
    expect(isCohortGrading(['01', '--batch', 'cohort'])).toBe(true);
  });

  it('grades every sub-folder on one seed and writes per-submission reports, cohort.csv and cohort.html', { timeout: 300_000 }, () => {
    const result = lab('grade', TOTALS, '--batch', batch, '--out', out, '--seed', '11', '--jobs', '4');
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain('on seed 11');
    expect(result.stderr).toMatch(/skipped no-entry-file: .*no-entry-file has no src\/totals\.ts/);
    expect(result.stdout).toMatch(/candidate-03 +30\/30/);

    const reports = readdirSync(join(out, 'submissions')).sort();
    expect(reports).toHaveLength(20);
    expect(JSON.parse(readFileSync(join(out, 'submissions', reports[0]!), 'utf8')).seed).toBe(11);

    const [header, ...rows] = readFileSync(join(out, 'cohort.csv'), 'utf8').trimEnd().split('\r\n');
    expect(header).toBe('submission,status,score,max_score,seed,plain-totals,discounts,cents,note');
    expect(rows).toHaveLength(21);
    expect(rows.find((row) => row.startsWith('candidate-03,'))).toBe('candidate-03,pass,30,30,11,10,10,10,');
    expect(rows.find((row) => row.startsWith('no-entry-file,'))).toMatch(/^no-entry-file,skipped,/);
    expect(new Set(rows.map((row) => row.split(',')[2])).size).toBeGreaterThan(2);

    const html = readFileSync(join(out, 'cohort.html'), 'utf8');
    const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((match) => match[0]);
    expect(svgs).toHaveLength(2);
    for (const svg of svgs) expect(() => parseXml(svg)).not.toThrow();
    expect(html).toContain('id="score-distribution"');
    expect(html).toContain('id="pass-rate"');
    expect(html).toContain('Most common failures');
    for (let index = 1; index <= 20; index++) expect(html).toContain(`candidate-${String(index).padStart(2, '0')}`);
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('renders cohort.html in a real browser with both charts drawn', { timeout: 120_000 }, () => {
    const browser = ['chromium', 'chromium-browser'].find((name) => spawnSync(name, ['--version'], { encoding: 'utf8' }).status === 0);
    expect(browser, 'Chromium is needed to render the cohort page (apt-get install chromium; .ci/run installs it)').toBeDefined();
    const screenshot = join(scratch, 'cohort.png');
    const rendered = spawnSync(browser!, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=1280,2400', `--screenshot=${screenshot}`, `file://${join(out, 'cohort.html')}`], { encoding: 'utf8', timeout: 90_000 });
    expect(rendered.status, rendered.stderr).toBe(0);
    const image = PNG.sync.read(readFileSync(screenshot));
    // The charts' bar colours (grader/cohort/cohort-html.ts): the score histogram and the pass-rate bars.
    const count = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16));
      let pixels = 0;
      for (let at = 0; at < image.data.length; at += 4) {
        if (Math.abs(image.data[at]! - r!) + Math.abs(image.data[at + 1]! - g!) + Math.abs(image.data[at + 2]! - b!) < 12) pixels++;
      }
      return pixels;
    };
    expect(count('#4a78b8'), 'score distribution bars').toBeGreaterThan(500);
    expect(count('#3e9b5a'), 'pass-rate bars').toBeGreaterThan(500);
  });

  it('takes several folders on the command line too', { timeout: 120_000 }, () => {
    const result = lab('grade', TOTALS, join(batch, 'candidate-01'), join(batch, 'candidate-02'), '--out', join(scratch, 'two'), '--format', 'junit');
    expect([0, 1]).toContain(result.status);
    expect(readdirSync(join(scratch, 'two', 'submissions')).sort()).toEqual(['candidate-01.xml', 'candidate-02.xml']);
  });

  it('refuses external services, which every submission would share', () => {
    const result = lab('grade', TOTALS, '--batch', batch, '--env', 'external', '--out', join(scratch, 'external'));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('a cohort gives every submission services of its own: --env embedded (the default) or docker');
    expect(existsSync(join(scratch, 'external'))).toBe(false);
  });

  it('refuses a single folder without the entry file as a usage error naming it', () => {
    const result = lab('grade', TOTALS, join(batch, 'no-entry-file'));
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no-entry-file has no src/totals.ts');
    expect(existsSync(join(batch, 'no-entry-file'))).toBe(true);
  });
});
