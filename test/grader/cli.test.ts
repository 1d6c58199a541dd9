import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../grader/cli/commands/check.ts';
import { gradeCommand } from '../../grader/cli/commands/grade.ts';
import { listCommand } from '../../grader/cli/commands/list.ts';
import { showCommand } from '../../grader/cli/commands/show.ts';
import { validateCommand } from '../../grader/cli/commands/validate.ts';
import { EXIT_CODES, UsageError, type Command } from '../../grader/cli/command.ts';
import { CONTACTS, FIXTURE_LABS, FIXTURE_SOLUTIONS, TOTALS } from './helpers.ts';
import { parseXml } from './xml-well-formed.ts';

/** Runs a command in-process the way main() does, capturing what it prints. */
async function run(command: Command, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    const code = await command.run([...argv, '--labs-dir', FIXTURE_LABS]);
    return { code, stdout, stderr };
  } catch (error) {
    if (error instanceof UsageError) return { code: EXIT_CODES.usage, stdout, stderr: stderr + error.message };
    throw error;
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
}

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'lab-cli-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('lab list and show', () => {
  it('lists the labs, as text and as JSON', async () => {
    const text = await run(listCommand, []);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${TOTALS}  Order totals (fixture)  [beginner, ~10 min]`);
    const json = await run(listCommand, ['--json']);
    expect(JSON.parse(json.stdout).map((lab: { id: string }) => lab.id)).toEqual([TOTALS, CONTACTS]);
  });

  it('shows a brief by short name; an unknown lab is a usage error', async () => {
    const shown = await run(showCommand, ['90']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Write `orderTotal(order)`');
    const unknown = await run(showCommand, ['99']);
    expect(unknown.code).toBe(EXIT_CODES.usage);
    expect(unknown.stderr).toContain("unknown lab '99'");
  });

  it('every command has help with exit codes', () => {
    for (const command of [listCommand, showCommand, checkCommand, gradeCommand, validateCommand]) {
      expect(command.help).toMatch(/^Usage: lab /);
      expect(command.help).toContain('Exit codes');
    }
  });
});

describe('lab check and lab grade', () => {
  it('check runs public checks only and exits 1 when points are lost', async () => {
    const result = await run(checkCommand, ['90', join(FIXTURE_LABS, TOTALS, 'starter'), '--seed', '4']);
    expect(result.code).toBe(EXIT_CODES.failed);
    expect(result.stdout).toContain('public checks');
    expect(result.stdout).not.toContain('Discounts are applied');
  });

  it('grade exits 0 on full marks and writes the chosen format to --out', async () => {
    const out = join(scratch, 'report.xml');
    const result = await run(gradeCommand, [TOTALS, join(FIXTURE_SOLUTIONS, TOTALS), '--seed', '4', '--format', 'junit', '--out', out]);
    expect(result.code).toBe(EXIT_CODES.ok);
    expect(result.stderr).toContain('30/30, junit report written to');
    expect(parseXml(readFileSync(out, 'utf8')).children[0]?.attributes.tests).toBe('3');
  });

  it('grade --json prints the results document with the seed', async () => {
    const result = await run(gradeCommand, [CONTACTS, join(FIXTURE_SOLUTIONS, CONTACTS, 'mutants/logs-email'), '--seed', '8', '--json']);
    expect(result.code).toBe(EXIT_CODES.failed);
    expect(JSON.parse(result.stdout)).toMatchObject({ version: 3, seed: 8, score: 10, max_score: 20 });
  });

  it('usage errors exit 2 with the reason', async () => {
    expect((await run(gradeCommand, ['90'])).code).toBe(EXIT_CODES.usage);
    expect((await run(gradeCommand, ['90', join(scratch, 'missing')])).stderr).toContain('submission folder not found');
    expect((await run(gradeCommand, ['90', scratch, '--format', 'xml'])).stderr).toContain('--format must be one of terminal, json, junit, md');
    expect((await run(gradeCommand, ['90', scratch, '--sed', '1'])).stderr).toContain("Unknown option '--sed'");
    expect((await run(checkCommand, ['90', scratch, '--seed', '-3'])).code).toBe(EXIT_CODES.usage);
  });
});

describe('lab validate', () => {
  it('validates one lab and exits 0; needs a lab or --all', async () => {
    const result = await run(validateCommand, ['91', '--json']);
    expect(result.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(result.stdout)[0]).toMatchObject({ lab: CONTACTS, ok: true });
    expect((await run(validateCommand, [])).code).toBe(EXIT_CODES.usage);
    expect((await run(validateCommand, ['91', '--seeds', '3'])).code).toBe(EXIT_CODES.usage);
  });
});
