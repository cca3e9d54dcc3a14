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
