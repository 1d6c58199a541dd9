/**
 * Submission output is untrusted: escape sequences in it could repaint the terminal or fake
 * a passing line, and line separators or bidirectional overrides could make text read other
 * than it is. Control characters other than newline and tab are shown as `\xNN`, those as `\u{NNNN}`.
 */
export function printable(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/[\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, (character) => `\\u{${character.charCodeAt(0).toString(16).padStart(4, '0')}}`);
}

/** The last `max` characters, marked when cut: the end of a log is where a crash shows. */
export function tail(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}

export function head(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
