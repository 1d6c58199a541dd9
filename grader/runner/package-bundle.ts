import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { PROJECT_ROOT, projectNodeModules } from './project-paths.ts';

/** The bundle, and every file it was compiled from (absolute paths), for the import guard to check. */
export type PackageBundleOutcome = { ok: true; code: string; inputs: string[] } | { ok: false; message: string };

/**
 * Bumped when what this module writes changes (its build options included), so a cache from an
 * older grader is not read.
 * The esbuild version is part of the key too.
 */
const CACHE_FORMAT = 2;

/**
 * The installed packages a submission imports (kafkajs, pg, the generated clients…), bundled
 * into one CommonJS file that maps each module's project-relative path to its exports. A
 * submission's own build then compiles only the trainee's files, and its bundle requires this
 * one, copied next to it: no link into the project, and the dearest part of the build done once
 * per machine instead of once per grading (a Kafka lab's packages are about 500 files).
 *
 * The file is kept in the user's cache folder ($XDG_CACHE_HOME or ~/.cache, then
 * integration-lab/packages/), outside the project, whose tree a grading must leave unchanged.
 * It is named by the set of modules and the esbuild version, and kept with the size and
 * modification time of every file it was built from; a changed input (a reinstalled package, a
 * regenerated client) builds it again. Where that folder cannot be written, the bundle is kept
 * for this process only. The folder keeps the most recently used files up to 512 MiB, and a
 * packages file over 16 MiB is refused. A submission never sees the folder: its copy of the file is in its
 * workspace, and a grader that runs as root keeps the folder to itself (a run's own user
 * cannot write there, and its mount namespace hides /root and /home).
 */
export async function bundlePackages(modules: string[]): Promise<PackageBundleOutcome> {
  const paths = [...new Set(modules)].sort();
  const key = bundleKey(paths);
  const remembered = recent.get(key);
  if (remembered) {
    // Most recently used last: the first entry is the one to forget.
    recent.delete(key);
    recent.set(key, remembered);
    return remembered;
  }
  let pending = building.get(key);
  if (!pending) {
    pending = Promise.resolve(readCached(key) ?? buildAndStore(key, paths));
    building.set(key, pending);
    void pending.then((outcome) => {
      building.delete(key);
      // A failure is not kept: the next grading tries again (and reports the same error, if it is one).
      if (outcome.ok) remember(key, outcome);
    });
  }
  return pending;
}

/** A packages file over this is refused: a lab's packages compile to one or two megabytes. */
export const MAX_PACKAGES_BYTES = 16 * 1024 * 1024;
/** The folder keeps the most recently used files up to this size. */
const MAX_CACHE_BYTES = 512 * 1024 * 1024;
/** Kept in memory besides, for a grader that grades the same lab again and again (lab validate, a cohort). */
const MAX_REMEMBERED = 8;

const building = new Map<string, Promise<PackageBundleOutcome>>();
const recent = new Map<string, PackageBundleOutcome>();

function remember(key: string, outcome: PackageBundleOutcome): void {
  recent.set(key, outcome);
  for (const oldest of recent.keys()) {
    if (recent.size <= MAX_REMEMBERED) break;
    recent.delete(oldest);
  }
}

/** The name under which a module's exports are found in the bundle: stable across machines and checkouts. */
export function memberName(path: string): string {
  return relative(PROJECT_ROOT, path);
}

interface CacheIndex {
  /** Every file the bundle was built from, with what it looked like then. */
  inputs: Array<{ path: string; size: number; mtimeMs: number }>;
}

function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'integration-lab', 'packages');
}

function bundleKey(paths: string[]): string {
  const esbuildVersion = (JSON.parse(readFileSync(join(projectNodeModules(), 'esbuild', 'package.json'), 'utf8')) as { version: string }).version;
  return createHash('sha256').update(JSON.stringify({ format: CACHE_FORMAT, esbuild: esbuildVersion, paths: paths.map(memberName) })).digest('hex').slice(0, 32);
}

function readCached(key: string): PackageBundleOutcome | undefined {
  try {
    const index = JSON.parse(readFileSync(join(cacheDir(), `${key}.json`), 'utf8')) as CacheIndex;
    const unchanged = index.inputs.every((input) => {
      const stat = statSync(join(PROJECT_ROOT, input.path));
      return stat.size === input.size && stat.mtimeMs === input.mtimeMs;
    });
    if (!unchanged) return undefined;
    const file = join(cacheDir(), `${key}.cjs`);
    // Marks it used, for the folder's eviction.
    const now = new Date();
    utimesSync(file, now, now);
    return { ok: true, code: readFileSync(file, 'utf8'), inputs: index.inputs.map((input) => join(PROJECT_ROOT, input.path)) };
  } catch {
    return undefined;
  }
}

async function buildAndStore(key: string, paths: string[]): Promise<PackageBundleOutcome> {
  const entry = `module.exports = {\n${paths.map((path) => `  ${JSON.stringify(memberName(path))}: require(${JSON.stringify(path)}),`).join('\n')}\n};\n`;
  let result;
  try {
    result = await build({
      stdin: { contents: entry, resolveDir: PROJECT_ROOT, loader: 'js' },
      absWorkingDir: PROJECT_ROOT,
      bundle: true,
      write: false,
      metafile: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      // The project's own tsconfig.json would otherwise apply to the generated clients.
      tsconfigRaw: {},
      // CommonJS has no import.meta. A package that reads it gets this file's own address, as
      // it would get the bundle's when compiled in: either way, not where the package was.
      banner: { js: "const __labImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
      define: { 'import.meta.url': '__labImportMetaUrl', 'import.meta.filename': '__filename', 'import.meta.dirname': '__dirname' },
    });
  } catch (error) {
    const errors = (error as { errors?: Array<{ text: string }> }).errors;
    return { ok: false, message: errors ? errors.map((message) => message.text).join('\n') : String(error) };
  }
  const code = result.outputFiles[0]!.text;
  if (code.length > MAX_PACKAGES_BYTES) {
    return { ok: false, message: `the packages it imports compile to ${(code.length / 2 ** 20).toFixed(1)} MiB; a submission's packages may take at most ${MAX_PACKAGES_BYTES / 2 ** 20} MiB` };
  }
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => input !== '<stdin>')
    .map((input) => {
      const stat = statSync(join(PROJECT_ROOT, input));
      return { path: input, size: stat.size, mtimeMs: stat.mtimeMs };
    });
  store(key, code, { inputs });
  return { ok: true, code, inputs: inputs.map((input) => join(PROJECT_ROOT, input.path)) };
}

/** Written under a temporary name and renamed, so a grader running beside this one never reads half a file. */
function store(key: string, code: string, index: CacheIndex): void {
  try {
    const dir = cacheDir();
    mkdirSync(dir, { recursive: true });
    const temporary = `.${key}.${process.pid}.${Date.now()}`;
    writeFileSync(join(dir, `${temporary}.cjs`), code);
    renameSync(join(dir, `${temporary}.cjs`), join(dir, `${key}.cjs`));
    writeFileSync(join(dir, `${temporary}.json`), JSON.stringify(index));
    renameSync(join(dir, `${temporary}.json`), join(dir, `${key}.json`));
    evictBeyond(dir, MAX_CACHE_BYTES);
  } catch {
    // A read-only install: this process keeps the bundle in memory (remember).
  }
}

/** Deletes the least recently used files until the folder holds at most `limit` bytes. */
function evictBeyond(dir: string, limit: number): void {
  const bundles = readdirSync(dir)
    .filter((name) => name.endsWith('.cjs') && !name.startsWith('.'))
    .map((name) => {
      const stat = statSync(join(dir, name));
      const index = join(dir, name.replace(/\.cjs$/, '.json'));
      return { files: [join(dir, name), index], bytes: stat.size + (statSync(index, { throwIfNoEntry: false })?.size ?? 0), used: stat.mtimeMs };
    })
    .sort((a, b) => b.used - a.used);
  let total = 0;
  for (const bundle of bundles) {
    total += bundle.bytes;
    if (total > limit) for (const file of bundle.files) rmSync(file, { force: true });
  }
}
