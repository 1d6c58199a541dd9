import { build, type Loader, type Message, type OnLoadResult, type PartialMessage, type Plugin } from 'esbuild';
import { parse as parseJsonc } from 'jsonc-parser';
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { inlineSourceMapComment, ownSourceMap, type SourceMapV3 } from './own-source-map.ts';
import { bundlePackages, memberName } from './package-bundle.ts';
import { PROJECT_ROOT, projectNodeModules } from './project-paths.ts';

/** A file the build wrote into the workspace, with its contents (kept so the same copy can be written again). */
export interface BuiltFile {
  path: string;
  contents: string;
}

export type BuildOutcome = { ok: true; bundle: string; files: BuiltFile[] } | { ok: false; message: string };

/**
 * Compiles a submission's entry (TypeScript or JavaScript) and everything it imports into one
 * ES module next to the entry, so `import.meta.url` still points at the trainee's folder.
 * This happens in the grader, before the sandbox starts: the sandboxed process may not spawn
 * the compiler, and a syntax error becomes a build error with file, line and column instead
 * of a crash.
 *
 * The packages it imports (kafkajs, pg, the generated API clients…) come from one CommonJS
 * file built once per machine (package-bundle.ts) and copied next to the bundle, so the running
 * submission needs nothing outside its workspace and gets no link into the project. The build
 * itself reads only what a submission may import: its own files, the packages the project
 * depends on at run time and the generated clients. An import of anything else (a solution, a
 * scenario, the mock systems' reference data, a compiler) is a build error.
 */
export async function buildEntry(submissionDir: string, entry: string | { contents: string; name: string }): Promise<BuildOutcome> {
  const name = typeof entry === 'string' ? entry : entry.name;
  const outfile = join(submissionDir, dirname(name), `.lab-${basename(name).replace(/\.[cm]?[jt]sx?$/, '')}.mjs`);
  const packagesFile = outfile.replace(/\.mjs$/, '.packages.cjs');
  const own = await compile(submissionDir, entry, outfile, packagesFile);
  if (!own.ok || own.packages.length === 0) return write(own);
  const packages = await bundlePackages(own.packages);
  if (!packages.ok) return { ok: false, message: `the packages it imports do not compile: ${packages.message}` };
  const outside = importGuard(submissionDir, packagesFile).inputsOutside(packages.inputs);
  if (outside.length > 0) return { ok: false, message: outside.map((path) => `"${relative(submissionDir, path)}" ${OUTSIDE}`).join('\n') };
  return write({ ...own, files: [...own.files, { path: packagesFile, contents: packages.code }] });
}

type Compiled = { ok: true; bundle: string; files: BuiltFile[]; packages: string[] } | { ok: false; message: string };

/** Nothing reaches the workspace before every input has been checked. */
function write(compiled: Compiled): BuildOutcome {
  if (!compiled.ok) return compiled;
  for (const file of compiled.files) writeFileSync(file.path, file.contents);
  return { ok: true, bundle: compiled.bundle, files: compiled.files };
}

/**
 * One esbuild run over the submission's own files: every import of a package or a client
 * becomes a require of `packagesFile` (which the caller fills), and the packages are listed.
 */
async function compile(submissionDir: string, entry: string | { contents: string; name: string }, outfile: string, packagesFile: string): Promise<Compiled> {
  const name = typeof entry === 'string' ? entry : entry.name;
  const guard = importGuard(submissionDir, packagesFile);
  try {
    const result = await build({
      ...(typeof entry === 'string'
        ? { entryPoints: [join(submissionDir, entry)] }
        : { stdin: { contents: entry.contents, resolveDir: join(submissionDir, dirname(name)), sourcefile: basename(name), loader: 'ts' as const } }),
      absWorkingDir: submissionDir,
      outfile,
      bundle: true,
      nodePaths: [projectNodeModules()],
      // The submission's own tsconfig.json, read here: esbuild would otherwise follow its
      // `extends` anywhere, and pick up a tsconfig.json planted in a folder above the workspace.
      tsconfigRaw: ownTsconfig(submissionDir),
      plugins: [guard.plugin],
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Kept in memory: nothing reaches the workspace before every input has been checked.
      write: false,
      metafile: true,
      sourcemap: 'external',
      // Stack traces need the mappings only. Contents would be copied from whatever files a
      // source map names, and the build reads as the grader.
      sourcesContent: false,
      logLevel: 'silent',
      // Trainees' code is ESM, but a stray require() should work as it does under tsx; the
      // packages file is required through it too.
      banner: { js: "import { createRequire as __labCreateRequire } from 'node:module'; const require = __labCreateRequire(import.meta.url);" },
    });
    const outside = guard.inputsOutside(Object.keys(result.metafile.inputs));
    if (outside.length > 0) return { ok: false, message: outside.map((path) => `"${relative(submissionDir, path)}" ${OUTSIDE}`).join('\n') };
    const code = result.outputFiles.find((file) => file.path === outfile);
    const map = result.outputFiles.find((file) => file.path === `${outfile}.map`);
    if (!code || !map) return { ok: false, message: 'the bundler wrote no output' };
    if (code.contents.byteLength > MAX_BUNDLE_BYTES) {
      return { ok: false, message: `${name} and the files it imports compile to ${(code.contents.byteLength / 2 ** 20).toFixed(1)} MiB; a submission's own code may take at most ${MAX_BUNDLE_BYTES / 2 ** 20} MiB (import packages by name, and read large data files at run time instead of importing them)` };
    }
    const isOwn = (source: string) => !isShim(source) && resolve(dirname(outfile), source).startsWith(submissionDir + sep);
    const contents = `${code.text}${inlineSourceMapComment(ownSourceMap(JSON.parse(map.text) as SourceMapV3, isOwn))}`;
    return { ok: true, bundle: outfile, files: [{ path: outfile, contents }], packages: guard.packages() };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors) return { ok: false, message: error instanceof Error ? error.message : String(error) };
    return { ok: false, message: firstErrors(errors.map((message) => formatMessage(submissionDir, message))) };
  }
}

/** The generated clients, as `@integration-lab/clients/<system>` exposes them; the package's test mocks are not for graded runs. */
const CLIENT_SYSTEMS = ['crm', 'erp', 'partner'];

function importableRoots(submissionDir: string): { folders: string[]; files: string[] } {
  return {
    folders: [submissionDir, projectNodeModules(), ...CLIENT_SYSTEMS.map((system) => join(PROJECT_ROOT, 'mock-systems', system, 'client'))],
    files: CLIENT_SYSTEMS.map((system) => join(PROJECT_ROOT, 'mock-systems', 'clients', `${system}.ts`)),
  };
}

const GUARDED = Symbol('resolved by the import guard');

/**
 * How many modules of the installed packages a submission's own files may import. A trainee's
 * program imports a handful (kafkajs, pg, ajv and ajv-formats, a client or two); each module
 * counts once, however often it is imported. Without a cap, a file of a few hundred kilobytes
 * naming thousands of package files makes the grader compile all of them, for half a minute and
 * a packages file of tens of megabytes.
 */
export const MAX_PACKAGE_MODULES = 64;
const TOO_MANY_MODULES = `a submission may import at most ${MAX_PACKAGE_MODULES} modules of the installed packages`;

/**
 * The most the submission's own bundle (its files, and the package files it imports with
 * attributes) may take. The references' bundles are 8–20 KB (lab 04's the largest); without a
 * cap, an import that names thousands of files makes the grader build, hold and write a bundle
 * of tens of megabytes.
 */
export const MAX_BUNDLE_BYTES = 4 * 1024 * 1024;

/**
 * Why an import of an installed module is refused, if it is: a submission may use the packages
 * the project depends on at run time (package.json `dependencies`: kafkajs, pg, ajv, …) and the
 * generated clients, not every package that happens to be installed (compilers, test tools).
 */
function refusedPackage(path: string, clientFiles: string[]): string | undefined {
  if (clientFiles.includes(path)) return undefined;
  const within = relative(projectNodeModules(), path).split(sep);
  const name = within[0]?.startsWith('@') ? `${within[0]}/${within[1]}` : within[0];
  if (name && runtimeDependencies().has(name)) return undefined;
  return `is in package ${name}, which a submission may not use: it may import ${[...runtimeDependencies()].sort().join(', ')} and @integration-lab/clients/crm, /erp or /partner`;
}

let dependencies: Set<string> | undefined;

function runtimeDependencies(): Set<string> {
  dependencies ??= new Set(Object.keys((JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {}));
  return dependencies;
}

const OUTSIDE = 'is outside what a submission may import: its own files, the installed packages (kafkajs, pg, …) and @integration-lab/clients/crm, /erp or /partner';

/**
 * Where an import of a package lands when the packages come from their own file: an ES module
 * (`lab-package`) re-exporting a CommonJS one (`lab-package-member`) that takes the package's
 * exports from that file. Re-exporting through CommonJS gives an ESM package and a CommonJS one
 * the same interop esbuild applies when it compiles them in. Both shims carry the package's path
 * (relative to the project, the name it has in that file) with a suffix, which keeps its
 * extension (.mjs) from deciding how esbuild treats them.
 */
const PACKAGE_NAMESPACE = 'lab-package';
const MEMBER_NAMESPACE = 'lab-package-member';
const MEMBER_PREFIX = `${MEMBER_NAMESPACE}:`;
const SHIM_SUFFIX = ':package';

/** A module the guard wrote (as the metafile and the source map name it), not a file. */
function isShim(name: string): boolean {
  return name.startsWith(`${PACKAGE_NAMESPACE}:`) || name.startsWith(MEMBER_PREFIX);
}

interface ImportGuard {
  plugin: Plugin;
  /** The build's inputs (as its metafile names them) that lie outside what a submission may import. */
  inputsOutside(inputs: string[]): string[];
  /** The packages and clients the submission imports (real paths), which come from the packages file. */
  packages(): string[];
}

/**
 * Refuses every import that lies outside what a submission may import, before the bundler
 * reads it: an import written in the submission is resolved as esbuild would and checked, and
 * every file esbuild loads is checked again, with the same rules (the package policy and the
 * module cap included), because some never pass through resolution: the files a
 * template-literal import such as import(`../${name}.js`) expands to, which may be every file
 * of node_modules. The inputs the build reports are checked once more after it.
 * An import of a package becomes a require of `packagesFile`, and the package is not read here
 * at all; only a package file imported with attributes (`with { type: 'json' }`) is compiled in.
 */
function importGuard(submissionDir: string, packagesFile: string): ImportGuard {
  const roots = importableRoots(submissionDir);
  const importable = (path: string) => roots.files.includes(path) || roots.folders.some((folder) => path.startsWith(folder + sep));
  const ownFile = (path: string) => path.startsWith(submissionDir + sep);
  const packages = new Set<string>();
  // Modules of packages the submission's own files import (also those imported with attributes,
  // and the files a template-literal import expands to).
  const imported = new Set<string>();
  /**
   * Why a file outside the submission may not be imported or read (named `shown` in the
   * message), if it may not; a module that may be is counted toward MAX_PACKAGE_MODULES.
   */
  const admitPackageModule = (path: string, shown: string): string | undefined => {
    if (!importable(path)) return `"${shown}" ${OUTSIDE}`;
    const refused = refusedPackage(path, roots.files);
    if (refused) return `"${shown}" ${refused}`;
    imported.add(path);
    return imported.size > MAX_PACKAGE_MODULES ? `"${shown}": ${TOO_MANY_MODULES}` : undefined;
  };
  const plugin: Plugin = {
    name: 'import-guard',
    setup(builder) {
      const required = `./${basename(packagesFile)}`;
      builder.onResolve({ filter: /.*/, namespace: MEMBER_NAMESPACE }, () => ({ path: required, external: true }));
      builder.onResolve({ filter: new RegExp(`^${MEMBER_PREFIX}`), namespace: PACKAGE_NAMESPACE }, (args) => ({ path: args.path.slice(MEMBER_PREFIX.length), namespace: MEMBER_NAMESPACE }));
      builder.onLoad({ filter: /.*/, namespace: PACKAGE_NAMESPACE }, (args) => {
        const member = JSON.stringify(`${MEMBER_PREFIX}${args.path}`);
        return { contents: `export * from ${member};\nexport { default } from ${member};\n`, loader: 'js' };
      });
      builder.onLoad({ filter: /.*/, namespace: MEMBER_NAMESPACE }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(required)})[${JSON.stringify(args.path.slice(0, -SHIM_SUFFIX.length))}];\n`,
        loader: 'js',
      }));
      // Every file esbuild reads, under node_modules too: a template-literal import expands to
      // files that never pass through onResolve, so the package rules are kept here as well.
      builder.onLoad({ filter: /.*/ }, (args) => {
        if (args.namespace !== 'file') return undefined;
        const path = realpathOrSelf(args.path);
        if (ownFile(path)) return withoutSourceMapComments(submissionDir, path, args.with);
        const refused = admitPackageModule(path, relative(submissionDir, args.path));
        return refused ? { errors: [{ text: refused }] } : undefined;
      });
      builder.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === GUARDED || args.kind === 'entry-point' || !ownFile(args.importer)) return undefined;
        const resolved = await builder.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: GUARDED });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        if (resolved.external || resolved.namespace !== 'file' || ownFile(resolved.path)) {
          return { path: resolved.path, external: resolved.external, namespace: resolved.namespace, sideEffects: resolved.sideEffects, suffix: resolved.suffix };
        }
        const refused = admitPackageModule(resolved.path, args.path);
        if (refused) return { errors: [{ text: refused }] };
        // Import attributes (`with { type: 'json' }`) are the bundler's to read, not a package's exports.
        if (Object.keys(args.with).length > 0) return { path: resolved.path, sideEffects: resolved.sideEffects, suffix: resolved.suffix };
        packages.add(resolved.path);
        // The member shim carries the same suffix; both are cut off where the path is read back.
        return { path: `${memberName(resolved.path)}${SHIM_SUFFIX}`, namespace: PACKAGE_NAMESPACE };
      });
    },
  };
  return {
    plugin,
    inputsOutside: (inputs) =>
      inputs
        // The module harness is compiled from memory; data: URLs carry their own contents; the
        // package shims are written by the guard itself.
        .filter((input) => input !== '<stdin>' && !input.startsWith('dataurl:') && !isShim(input))
        .map((input) => realpathOrSelf(resolve(submissionDir, input)))
        .filter((path) => !importable(path)),
    packages: () => [...packages],
  };
}

/** Code loaders by extension, for the submission's own files. */
const CODE_LOADERS: Record<string, Loader> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx' };
const SOURCE_MAP_COMMENT = /^[ \t]*(?:\/\/|\/\*)[#@][ \t]*sourceMappingURL=.*$/gm;

/**
 * A submission's code file without `sourceMappingURL` comments: the bundler would read the map
 * they name, and the files the map names, wherever they are. A file with an import whose path
 * is built at run time and leaves the submission is refused instead (escapingPatterns).
 */
function withoutSourceMapComments(submissionDir: string, path: string, attributes: Record<string, string>): OnLoadResult | undefined {
  const loader = CODE_LOADERS[extname(path)];
  if (!loader || Object.keys(attributes).length > 0) return undefined;
  const text = readFileSync(path, 'utf8');
  const escaping = escapingPatterns(submissionDir, path, text);
  if (escaping.length > 0) return { errors: escaping };
  return { contents: text.replace(SOURCE_MAP_COMMENT, ''), loader };
}

const COMMENT = String.raw`/\*[^]*?\*/|//[^\n]*\n`;
/** Blanks and comments. */
const GAP = String.raw`(?:\s|${COMMENT})*`;

/**
 * An import or require whose path is built at run time: a template literal with `${…}`, or
 * constants followed by `+`. The bundler expands it to every file its fixed start can name,
 * walking that folder (a pattern that starts at / walks the whole machine, a minute and more).
 * The fixed start is what the bundler folds: `${'…'}` inside a template, 'a' + 'b' + … before the
 * first operand that is not a constant, with or without grouping parentheses and comments.
 * Group 1 is a template's start, group 2 a chain of constants.
 */
const STRING = String.raw`'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"`;
/** A template without substitutions, which the bundler folds like a string. */
const PLAIN_TEMPLATE = '`' + String.raw`(?:[^` + '`' + String.raw`$\\]|\\[^]|\$(?!\{))*` + '`';
/** `${'…'}`, `${`…`}`, `${('…')}`: a constant the bundler folds into the template around it. */
const FOLDED = `${STRING}|${PLAIN_TEMPLATE}`;
const CONSTANT_SUBSTITUTION = String.raw`\$\{${GAP}(?:\(${GAP})*(?:${FOLDED})(?:${GAP}\))*${GAP}\}`;
const TEMPLATE_TEXT = String.raw`(?:[^` + '`' + String.raw`$\\]|\\[^]|\$(?!\{)|${CONSTANT_SUBSTITUTION})*`;
const CONSTANT = `${STRING}|\`${TEMPLATE_TEXT}\``;
/** Grouping parentheses, which the bundler sees through: `import((`…`))`, `('a') + (b)`. */
const OPENING = String.raw`(?:\(${GAP})*`;
const CLOSING = String.raw`(?:${GAP}\))*`;
const PATTERN_IMPORT = new RegExp(
  String.raw`\b(?:import|require)\s*\(${GAP}${OPENING}(?:` + '`' + String.raw`(${TEMPLATE_TEXT})\$\{|((?:(?:${CONSTANT})${CLOSING}${GAP}\+${GAP}${OPENING})+)(?!${GAP}[('"` + '`' + String.raw`]))`,
  'g',
);
const ESCAPED = /\\(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([^]))/g;

/** The text of a pattern's fixed start, as PATTERN_IMPORT captured it. */
function fixedStart(template: string | undefined, constants: string | undefined): string {
  const pieces = template !== undefined ? [template] : [...(constants ?? '').matchAll(new RegExp(CONSTANT, 'g'))].map(([constant]) => constant.slice(1, -1));
  return pieces
    .map((piece) => piece.replace(new RegExp(CONSTANT_SUBSTITUTION, 'g'), (substitution) => new RegExp(FOLDED).exec(substitution.replace(new RegExp(COMMENT, 'g'), ''))![0].slice(1, -1)))
    .join('')
    .replace(ESCAPED, (_, braced?: string, four?: string, two?: string, other?: string) => {
      const code = braced ?? four ?? two;
      return code ? String.fromCodePoint(Number.parseInt(code, 16)) : other!;
    });
}

/**
 * The imports of `text` (a submission's file at `path`) whose path is built at run time and whose
 * fixed start lies outside the submission: refused before the bundler walks that folder. The
 * files such an import reaches would each be refused anyway (the guard checks every file the
 * bundler loads, also where this check is fooled), but only after the walk.
 */
function escapingPatterns(submissionDir: string, path: string, text: string): PartialMessage[] {
  const errors: PartialMessage[] = [];
  for (const match of text.matchAll(PATTERN_IMPORT)) {
    const start = fixedStart(match[1], match[2]);
    // Not a path (a package name, or nothing fixed): the bundler leaves it to run time.
    if (!start.startsWith('/') && !start.startsWith('./') && !start.startsWith('../')) continue;
    const folder = resolve(dirname(path), start.slice(0, start.lastIndexOf('/') + 1));
    if (folder === submissionDir || folder.startsWith(submissionDir + sep)) continue;
    const before = text.slice(0, match.index);
    const line = before.split('\n').length;
    const column = match.index - (before.lastIndexOf('\n') + 1);
    errors.push({
      text: `an import whose path is built at run time ("${start}…") may only name files of the submission; "${relative(submissionDir, folder) || '.'}" ${OUTSIDE}. Import a package by its name, or each file by a path written out in full`,
      location: { file: path, line, column, lineText: text.split('\n')[line - 1] ?? '' },
    });
  }
  return errors;
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The compiler options of the submission's tsconfig.json, without `extends` (nothing outside is read). */
function ownTsconfig(submissionDir: string): { compilerOptions?: Record<string, unknown> } {
  const file = join(submissionDir, 'tsconfig.json');
  if (!existsSync(file)) return {};
  try {
    // tsconfig.json allows comments and trailing commas.
    const parsed = parseJsonc(readFileSync(file, 'utf8'), [], { allowTrailingComma: true }) as { compilerOptions?: Record<string, unknown> } | undefined;
    return parsed && typeof parsed === 'object' && parsed.compilerOptions ? { compilerOptions: parsed.compilerOptions } : {};
  } catch {
    return {};
  }
}

/** A build error lists this many errors at most: one import of a template literal can name thousands of files. */
const MAX_SHOWN_ERRORS = 10;

function firstErrors(messages: string[]): string {
  const distinct = [...new Set(messages)];
  const more = distinct.length - MAX_SHOWN_ERRORS;
  return [...distinct.slice(0, MAX_SHOWN_ERRORS), ...(more > 0 ? [`… and ${more} more`] : [])].join('\n');
}

function formatMessage(submissionDir: string, message: Message): string {
  const location = message.location;
  if (!location) return message.text;
  const file = location.file.startsWith('/') ? relative(submissionDir, location.file) : location.file;
  return `${file}:${location.line}:${location.column + 1}: ${message.text}\n    ${location.lineText}`;
}
