// The import guard of the submission's build (grader/runner/build-entry.ts), without the sandbox:
// what the bundler may read from the installed packages, however an import is written.
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEntry, MAX_BUNDLE_BYTES, MAX_PACKAGE_MODULES } from '../../grader/runner/build-entry.ts';
import { projectNodeModules } from '../../grader/runner/project-paths.ts';
import { submissionWith } from './helpers.ts';

/** Builds src/main.ts of a submission written from `main(nodeModules)`, given node_modules relative to src/. */
async function buildMain(main: (nodeModules: string) => string, others: Record<string, string> = {}) {
  const submission = submissionWith({ 'src/main.ts': '', ...others });
  try {
    const nodeModules = relative(join(submission.dir, 'src'), projectNodeModules());
    writeFileSync(join(submission.dir, 'src/main.ts'), main(nodeModules));
    const outcome = await buildEntry(submission.dir, 'src/main.ts');
    return { outcome, built: existsSync(join(submission.dir, 'src/.lab-main.mjs')) };
  } finally {
    submission.dispose();
  }
}

describe('a template-literal import', () => {
  it('that leaves the submission is refused before the bundler walks the folder, saying what to do instead', async () => {
    for (const pattern of ['typescript/lib/${name}.js', '${name}.js']) {
      const { outcome, built } = await buildMain((nodeModules) => `const name = process.argv[2];\nawait import(\`./${nodeModules}/${pattern}\`);\n`);
      expect(outcome.ok, pattern).toBe(false);
      expect(built).toBe(false);
      if (outcome.ok) continue;
      expect(outcome.message).toMatch(/^src\/main\.ts:2:7: an import whose path is built at run time \(".*\/node_modules\/.*…"\) may only name files of the submission; ".*node_modules.*" is outside what a submission may import/);
      expect(outcome.message).toMatch(/Import a package by its name, or each file by a path written out in full/);
    }
  });

  it('is refused the same way when written with + or folded constants, in parentheses, or at the root of the machine', async () => {
    for (const written of [
      "require('../../../../../../../../../../' + name)",
      "import(/* a comment */ './' + '../../..' + '/x/' + name)",
      "import(`${'../../..'}/x/${name}.js`)",
      'import(`/${name}.js`)',
      "import(`..\\u002f..\\u002f..\\u002f${name}`)",
      'import((`../../../x/${name}.js`))',
      "import(('../../../x/') + name + '.js')",
      "import(('../' + ('../../x/')) + (name))",
      'import(`${`../../../`}x/${name}.js`)',
      "import(`${/* a comment */ ('../../../')}x/${name}.js`)",
    ]) {
      const { outcome } = await buildMain(() => `const name = process.argv[2];\nawait ${written};\n`);
      expect(outcome.ok ? '' : outcome.message, written).toMatch(/an import whose path is built at run time .* is outside what a submission may import/);
    }
  });

  it('that the check above does not see is still held to the package rules: every file it reaches is checked', async () => {
    // A sum inside a substitution hides the template from the text check; the bundler still folds and expands it.
    const typescript = await buildMain((nodeModules) => `const name = process.argv[2];\nawait import(\`\${'./' + '${nodeModules}/typescript/lib/'}\${name}.js\`);\n`);
    expect(typescript.built).toBe(false);
    expect(typescript.outcome.ok ? '' : typescript.outcome.message).toMatch(/is in package typescript, which a submission may not use: it may import .*kafkajs/);

    const kafkajs = await buildMain((nodeModules) => `const name = process.argv[2];\nawait import(\`\${'./' + '${nodeModules}/kafkajs/src/'}\${name}.js\`, { with: { type: 'text' } });\n`);
    expect(kafkajs.built).toBe(false);
    const message = kafkajs.outcome.ok ? '' : kafkajs.outcome.message;
    expect(message).toContain(`a submission may import at most ${MAX_PACKAGE_MODULES} modules of the installed packages`);
    // Hundreds of files are refused; the message lists the first few.
    expect(message.split('\n').filter((line) => /^src\/main\.ts:/.test(line)).length).toBeLessThanOrEqual(10);
    expect(message).toMatch(/… and \d+ more$/);
  });

  it("within the submission's own folder still builds", async () => {
    const { outcome } = await buildMain(() => 'const lang = process.argv[2] ?? "en";\nconsole.log((await import(`./greetings/${lang}.ts`)).greeting);\n', {
      'src/greetings/en.ts': "export const greeting = 'hello';\n",
      'src/greetings/fr.ts': "export const greeting = 'bonjour';\n",
    });
    expect(outcome.ok ? 'built' : outcome.message).toBe('built');
  });
});

describe("the submission's own bundle", () => {
  it(`is refused over ${MAX_BUNDLE_BYTES / 2 ** 20} MiB`, async () => {
    const { outcome, built } = await buildMain(() => "import { data } from './data.ts';\nconsole.log(data.length);\n", {
      'src/data.ts': `export const data = ${JSON.stringify('x'.repeat(MAX_BUNDLE_BYTES + 1))};\n`,
    });
    expect(built).toBe(false);
    expect(outcome.ok ? '' : outcome.message).toMatch(/^src\/main\.ts and the files it imports compile to 4\.0 MiB; a submission's own code may take at most 4 MiB/);
  });
});
