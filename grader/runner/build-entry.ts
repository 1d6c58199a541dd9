import { build, type Message, type Plugin } from 'esbuild';
import { basename, dirname, join, relative } from 'node:path';

export type BuildOutcome = { ok: true; bundle: string } | { ok: false; message: string };

/**
 * Compiles a submission's entry (TypeScript or JavaScript) and everything it imports into one
 * ES module next to the entry, so `import.meta.url` still points at the trainee's folder.
 * This happens in the grader, before the sandbox starts: the sandboxed process may not spawn
 * the compiler, and a syntax error becomes a build error with file, line and column instead
 * of a crash.
 *
 * Packages (kafkajs, pg, …) stay imports, resolved at run time from the project's node_modules.
 * The project's own workspace packages (`@integration-lab/*`, e.g. the generated API clients)
 * are TypeScript, so they are compiled in instead.
 */
export async function buildEntry(submissionDir: string, entry: string | { contents: string; name: string }): Promise<BuildOutcome> {
  const name = typeof entry === 'string' ? entry : entry.name;
  const outfile = join(submissionDir, dirname(name), `.lab-${basename(name).replace(/\.[cm]?[jt]sx?$/, '')}.mjs`);
  try {
    await build({
      ...(typeof entry === 'string'
        ? { entryPoints: [join(submissionDir, entry)] }
        : { stdin: { contents: entry.contents, resolveDir: join(submissionDir, dirname(name)), sourcefile: basename(name), loader: 'ts' as const } }),
      absWorkingDir: submissionDir,
      outfile,
      bundle: true,
      plugins: [externalPackages],
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'silent',
      // Trainees' code is ESM, but a stray require() should work as it does under tsx.
      banner: { js: "import { createRequire as __labCreateRequire } from 'node:module'; const require = __labCreateRequire(import.meta.url);" },
    });
    return { ok: true, bundle: outfile };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors) return { ok: false, message: error instanceof Error ? error.message : String(error) };
    return { ok: false, message: errors.map((message) => formatMessage(submissionDir, message)).join('\n') };
  }
}

const externalPackages: Plugin = {
  name: 'external-packages',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@integration-lab/') ? undefined : { path: args.path, external: true }));
  },
};

function formatMessage(submissionDir: string, message: Message): string {
  const location = message.location;
  if (!location) return message.text;
  const file = location.file.startsWith('/') ? relative(submissionDir, location.file) : location.file;
  return `${file}:${location.line}:${location.column + 1}: ${message.text}\n    ${location.lineText}`;
}
