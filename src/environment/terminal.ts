/**
 * `text` with every character that could move a terminal's cursor, hide text or reorder it written as
 * `\uXXXX`: C0 and C1 controls, DEL, line and paragraph separators, zero-width and bidirectional
 * marks, the byte-order mark, and lone surrogates. A value from a file is data, never a terminal command.
 */
export function terminalSafe(text: string): string {
  return text.replace(new RegExp(INVISIBLE.source, 'g'), (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One character `terminalSafe` escapes: a control, an invisible or reordering mark, or a lone surrogate. */
export const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A file name as an error line shows it: as it is, or JSON-quoted when it holds a character
 * `terminalSafe` would escape, a double quote, or white space at either end of a path segment
 * (`stg.json `). The quoted name stays on one line (a newline reads `\n`) and reads back exactly,
 * so `a\nb.json` with a newline is told apart from a name with a backslash in it.
 */
export function shownFileName(file: string): string {
  return INVISIBLE.test(file) || /"|(?:^|[\\/])\s|\s(?:$|[\\/])/.test(file) ? terminalSafe(JSON.stringify(file)) : file;
}
