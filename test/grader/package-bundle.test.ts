import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { projectNodeModules } from '../../grader/runner/project-paths.ts';

/** A fresh copy of the module, as another grader process would load it (nothing kept in memory). */
async function freshModule(): Promise<typeof import('../../grader/runner/package-bundle.ts')> {
  vi.resetModules();
  return import('../../grader/runner/package-bundle.ts');
}

describe('the packages file, built once per machine', () => {
  const previous = process.env.XDG_CACHE_HOME;
  let cacheHome: string;
  const folder = () => join(cacheHome, 'integration-lab', 'packages');
  const kafkajs = join(projectNodeModules(), 'kafkajs', 'index.js');

  beforeAll(() => {
    cacheHome = mkdtempSync(join(tmpdir(), 'lab-package-cache-'));
    process.env.XDG_CACHE_HOME = cacheHome;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = previous;
    rmSync(cacheHome, { recursive: true, force: true });
  });

  it('is read back by the next grader while its inputs are unchanged, and built again once one changes', async () => {
    const first = await (await freshModule()).bundlePackages([kafkajs]);
    if (!first.ok) throw new Error(first.message);
    expect(first.inputs).toContain(kafkajs);
    const [bundle] = readdirSync(folder()).filter((name) => name.endsWith('.cjs'));
    const bundlePath = join(folder(), bundle!);
    const indexPath = bundlePath.replace(/\.cjs$/, '.json');

    writeFileSync(bundlePath, `${first.code}// read from the cache\n`);
    const second = await (await freshModule()).bundlePackages([kafkajs]);
    expect(second.ok && second.code.endsWith('// read from the cache\n')).toBe(true);

    // As if kafkajs had been reinstalled since: its files no longer look as they did.
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { inputs: Array<{ path: string; mtimeMs: number }> };
    index.inputs[0]!.mtimeMs -= 1000;
    writeFileSync(indexPath, JSON.stringify(index));
    const third = await (await freshModule()).bundlePackages([kafkajs]);
    expect(third.ok && third.code).toBe(first.code);
  });

  it('names each module by its path in the project, the same on every machine', async () => {
    const { memberName } = await freshModule();
    expect(memberName(kafkajs)).toBe('node_modules/kafkajs/index.js');
  });
});
