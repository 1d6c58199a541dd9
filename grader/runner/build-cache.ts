import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildEntry, type BuildOutcome } from './build-entry.ts';

type Entry = Parameters<typeof buildEntry>[1];
/** Paths relative to the copy, so the build of one copy can be written into another. */
type CachedBuild = { ok: true; bundle: string; files: Array<{ path: string; contents: string }> } | { ok: false; message: string };

/** Enough for every mutant of a lab and the labs validated alongside it; a Kafka lab's bundle is about a megabyte. */
const MAX_CACHED_BYTES = 128 * 1024 * 1024;

const cache = new Map<string, CachedBuild>();
let cachedBytes = 0;

/**
 * Builds a submission's entry once per content: a copy with the same files gets the bundle
 * built for the first. `lab validate` grades one reference on a dozen seeds and each mutant on
 * several; the packages come from their own file (package-bundle.ts), but compiling the
 * trainee's files and checking every input still costs tens of milliseconds a grading.
 * The key is every file of the copy, so a changed byte builds again.
 */
export async function buildEntryOnce(submissionDir: string, entry: Entry): Promise<BuildOutcome> {
  const key = buildKey(submissionDir, entry);
  const cached = cache.get(key);
  if (cached) {
    if (!cached.ok) return cached;
    const files = cached.files.map((file) => ({ path: join(submissionDir, file.path), contents: file.contents }));
    for (const file of files) writeFileSync(file.path, file.contents);
    return { ok: true, bundle: join(submissionDir, cached.bundle), files };
  }
  const outcome = await buildEntry(submissionDir, entry);
  remember(
    key,
    outcome.ok
      ? { ok: true, bundle: relative(submissionDir, outcome.bundle), files: outcome.files.map((file) => ({ path: relative(submissionDir, file.path), contents: file.contents })) }
      : outcome,
  );
  return outcome;
}

function remember(key: string, build: CachedBuild): void {
  const size = (candidate: CachedBuild) => (candidate.ok ? candidate.files.reduce((total, file) => total + file.contents.length, 0) : candidate.message.length);
  cache.set(key, build);
  cachedBytes += size(build);
  for (const [oldest, evicted] of cache) {
    if (cachedBytes <= MAX_CACHED_BYTES) break;
    cache.delete(oldest);
    cachedBytes -= size(evicted);
  }
}

function buildKey(submissionDir: string, entry: Entry): string {
  const hash = createHash('sha256');
  hash.update(typeof entry === 'string' ? `entry\0${entry}\0` : `stdin\0${entry.name}\0${entry.contents}\0`);
  for (const path of filesUnder(submissionDir)) {
    const content = readFileSync(join(submissionDir, path));
    hash.update(`${path}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex');
}

/** Every regular file below `root`, relative and in a stable order (the workspace holds no links). */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}
