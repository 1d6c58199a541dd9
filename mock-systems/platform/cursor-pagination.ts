/**
 * Cursor pagination over records ordered by id. The cursor names the last id a page held, so
 * records added or changed between two page requests neither repeat nor vanish. It is opaque
 * to clients (base64url) so nobody builds one by hand and depends on its shape.
 */

export const DEFAULT_PAGE_LIMIT = 25;

export interface CursorPage<T> {
  data: T[];
  page: { limit: number; nextCursor: string | null };
}

export function encodeCursor(lastId: string): string {
  return Buffer.from(`after:${lastId}`, 'utf8').toString('base64url');
}

/** The id a cursor points after, or undefined when the text is not a cursor for these ids. */
export function decodeCursor(cursor: string, idPattern: RegExp): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = decoded.startsWith('after:') ? decoded.slice('after:'.length) : undefined;
  return id !== undefined && idPattern.test(id) ? id : undefined;
}

/** One page of `records` (already filtered and sorted by id) after the cursor's id. */
export function pageAfter<T extends { id: string }>(records: readonly T[], afterId: string | undefined, limit: number): CursorPage<T> {
  const start = afterId === undefined ? 0 : records.findIndex((record) => record.id > afterId);
  const from = start === -1 ? records.length : start;
  const data = records.slice(from, from + limit);
  const hasMore = from + limit < records.length;
  return { data, page: { limit, nextCursor: hasMore ? encodeCursor(data[data.length - 1]!.id) : null } };
}
