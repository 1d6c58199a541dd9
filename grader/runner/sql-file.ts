/**
 * A trainee's SQL file: named queries, each introduced by a marker comment on its own line.
 *
 *   -- name: missing_in_erp
 *   SELECT ...;
 *
 * Names are what checks ask for. Comments and blank lines before the first marker are allowed
 * (a header); SQL there is an error, because no check could ever ask for it.
 */
export interface NamedQuery {
  name: string;
  sql: string;
  /** 1-based line of the marker, for messages. */
  line: number;
}

export class SqlFileError extends Error {}

const MARKER = /^\s*--\s*name\s*:\s*(\S*)\s*$/i;
const VALID_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

export function parseSqlFile(text: string): NamedQuery[] {
  const queries: NamedQuery[] = [];
  const problems: string[] = [];
  let current: { name: string; line: number; lines: string[] } | undefined;
  const header: string[] = [];
  const finish = () => {
    if (!current) return;
    const sql = stripTrailingSemicolons(current.lines.join('\n'));
    if (!hasCode(sql)) problems.push(`line ${current.line}: query "${current.name}" is empty`);
    queries.push({ name: current.name, sql, line: current.line });
  };
  text.split(/\r?\n/).forEach((line, index) => {
    const marker = MARKER.exec(line);
    if (!marker) {
      (current ? current.lines : header).push(line);
      return;
    }
    finish();
    const name = marker[1] ?? '';
    if (!VALID_NAME.test(name)) problems.push(`line ${index + 1}: "-- name:" needs a name of letters, digits, _ . - (got "${name}")`);
    if (queries.some((query) => query.name === name)) problems.push(`line ${index + 1}: query name "${name}" is used twice`);
    current = { name, line: index + 1, lines: [] };
  });
  finish();
  if (hasCode(header.join('\n'))) {
    problems.push('SQL before the first "-- name: <query>" marker; put each query under a marker naming it');
  }
  if (problems.length > 0) throw new SqlFileError(problems.join('\n'));
  return queries;
}

/** True when the text has something besides comments and whitespace. */
function hasCode(sql: string): boolean {
  return sql.replace(/\/\*[\s\S]*?\*\//g, '').replace(/--[^\n]*/g, '').trim().length > 0;
}

function stripTrailingSemicolons(sql: string): string {
  return sql.trim().replace(/(;\s*(--[^\n]*)?\s*)+$/, '').trim();
}
