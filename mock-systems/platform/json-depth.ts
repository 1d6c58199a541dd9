/**
 * How deeply a parsed JSON value nests, measured without recursion. JSON.parse takes any
 * depth, but every later walk of a body (secret masking, schema validation, serialising for the
 * journal) is recursive, so a body nested thousands of levels deep would overflow the stack.
 * The mocks refuse such a body up front instead.
 */

/** No contract body comes near this; a real client never sends more. */
export const MAX_JSON_DEPTH = 64;

/** True when `value` nests objects or arrays more than `limit` levels deep. */
export function exceedsDepth(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const inner of Array.isArray(current) ? current : Object.values(current)) {
      if (inner !== null && typeof inner === 'object') pending.push({ value: inner, depth: depth + 1 });
    }
  }
  return false;
}
