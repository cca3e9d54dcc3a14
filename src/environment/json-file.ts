import * as fs from 'node:fs';
import { getNodeValue, Node, ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { shownFileName, terminalSafe } from './terminal';

/**
 * The trust boundary of an environment file: what may be read, and how its text becomes a value.
 * JSON is parsed by `jsonc-parser` (VS Code's parser: a syntax tree with offsets, no dependencies),
 * because `JSON.parse` keeps the last of two equal keys without a word, drops a `__proto__` key's
 * value into the prototype, and reports errors without a line.
 */

/** An environment file larger than this is refused before it is read (docs/writing-environment-files.md, "Validation"). */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Objects and lists nested deeper than this are refused; the schema's deepest field is at depth 6. */
export const MAX_DEPTH = 32;
/** A string longer than this is refused; the longest AWS value a file names (an ARN, a policy) is shorter. */
export const MAX_STRING_LENGTH = 16384;
/** A list longer than this is refused; the longest list AWS takes here (security groups, CIDRs) is shorter. */
export const MAX_LIST_LENGTH = 1000;
/** Keys that JavaScript objects treat specially: refused everywhere, never silently dropped. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type JsonFileResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly errors: string[] };

/** Reads `file` as an environment file: a regular UTF-8 file of one JSON object, within the limits above. */
export function readJsonFile(file: string): JsonFileResult {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return { ok: false, errors: [`${shownFileName(file)}: (file): cannot read the file`] };
  }
  // A named pipe or a device would block synth or never end.
  if (!stat.isFile()) return { ok: false, errors: [`${shownFileName(file)}: (file): not a regular file (${kindOf(stat)}); an environment file must be one`] };
  if (stat.size > MAX_FILE_BYTES) {
    return { ok: false, errors: [`${shownFileName(file)}: (file): ${stat.size} bytes, more than the ${MAX_FILE_BYTES} an environment file may have`] };
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return { ok: false, errors: [`${shownFileName(file)}: (file): cannot read the file`] };
  }
  const decoded = decode(bytes);
  if (!decoded.ok) return { ok: false, errors: [`${shownFileName(file)}: (file): ${decoded.error}`] };
  return parseJson(file, decoded.text);
}

/** Parses `text` as the contents of `file`: every syntax error, duplicate key and forbidden key, one line each. */
export function parseJson(file: string, text: string): JsonFileResult {
  // before parsing: the parser recurses, and a file nested 100,000 deep would overflow its stack
  const tooDeep = firstTooDeep(text);
  if (tooDeep !== undefined) return { ok: false, errors: [`${shownFileName(file)}: (file): nested more than ${MAX_DEPTH} levels deep (${position(text, tooDeep)})`] };
  const syntax: ParseError[] = [];
  const tree = parseTree(text, syntax, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (syntax.length > 0 || !tree) {
    // the first error only: the ones after it are mostly its echoes
    const error = syntax[0];
    if (!error) return { ok: false, errors: [`${shownFileName(file)}: (file): invalid JSON: the file holds no value`] };
    return { ok: false, errors: [terminalSafe(`${shownFileName(file)}: (file): invalid JSON: ${describeSyntaxError(text, error)} (${position(text, error.offset)})`)] };
  }
  const errors: string[] = [];
  checkNode(tree, [], text, (path, message) => errors.push(terminalSafe(`${shownFileName(file)}: ${path.length > 0 ? path.join('.') : '(file)'}: ${message}`)));
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: getNodeValue(tree) };
}

function checkNode(node: Node, path: (string | number)[], text: string, report: (path: (string | number)[], message: string) => void): void {
  const at = () => position(text, node.offset);
  switch (node.type) {
    case 'string':
      if ((node.value as string).length > MAX_STRING_LENGTH) report(path, `a string of ${(node.value as string).length} characters, more than ${MAX_STRING_LENGTH} (${at()})`);
      return;
    case 'number':
      checkNumber(text.slice(node.offset, node.offset + node.length), node.value as number, (message) => report(path, `${message} (${at()})`));
      return;
    case 'array':
      if (node.children!.length > MAX_LIST_LENGTH) {
        report(path, `a list of ${node.children!.length} entries, more than ${MAX_LIST_LENGTH} (${at()})`);
        return;
      }
      node.children!.forEach((child, index) => checkNode(child, [...path, index], text, report));
      return;
    case 'object': {
      const seen = new Map<string, number>();
      for (const property of node.children!) {
        const [keyNode, valueNode] = property.children!;
        const key = keyNode.value as string;
        // only for a message: position() reads the text up to the key
        const keyAt = () => position(text, keyNode.offset);
        if (FORBIDDEN_KEYS.has(key)) {
          report([...path, key], `the key "${key}" is not allowed anywhere: JavaScript objects treat it specially, so its value could vanish (${keyAt()})`);
          continue;
        }
        const first = seen.get(key);
        if (first !== undefined) {
          report([...path, key], `duplicate key "${key}" (${keyAt()}; first at ${position(text, first)}): JSON parsers keep one of the two, so write it once`);
        } else {
          seen.set(key, keyNode.offset);
        }
        if (valueNode) checkNode(valueNode, [...path, key], text, report);
      }
      return;
    }
    default:
      return;
  }
}

/**
 * A number must mean what it says: `1e309` is not infinity, `1e-400` is not 0, and `9007199254740993`
 * is not `...992`. The original text is what the error shows.
 */
function checkNumber(source: string, value: number, report: (message: string) => void): void {
  if (!Number.isFinite(value)) report(`the number ${source} is too large for a JSON number`);
  else if (value === 0 && /[1-9]/.test(source.replace(/[eE].*$/, ''))) report(`the number ${source} is too small: it would read as 0`);
  else if (Number.isInteger(value) && !Number.isSafeInteger(value)) report(`the number ${source} cannot be held exactly (integers up to ${Number.MAX_SAFE_INTEGER})`);
}

/** The offset of the first bracket nested deeper than MAX_DEPTH, outside strings; undefined when none is. */
function firstTooDeep(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '[' || char === '{') {
      if (++depth > MAX_DEPTH) return index;
    } else if (char === ']' || char === '}') {
      depth--;
    }
  }
  return undefined;
}

function decode(bytes: Buffer): { ok: true; text: string } | { ok: false; error: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { ok: false, error: 'the file starts with a byte-order mark; save it as UTF-8 without one' };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes.length > 1 && (bytes[0] === 0 || bytes[1] === 0))) {
    return { ok: false, error: 'the file is UTF-16 (or binary), not UTF-8; save it as UTF-8' };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    const offset = text.indexOf('\ufffd');
    return { ok: false, error: `invalid UTF-8 (${position(text, Math.max(offset, 0))}); save the file as UTF-8` };
  }
}

/** What the first syntax error means, with the usual cause when there is one. */
function describeSyntaxError(text: string, error: ParseError): string {
  const found = text.slice(error.offset, error.offset + Math.max(error.length, 1));
  const before = text.slice(0, error.offset).trimEnd();
  const code = printParseErrorCode(error.error);
  if (code === 'InvalidCommentToken' || found.startsWith('/') || found.startsWith('#')) return 'a comment; JSON has no comments';
  if (/^(NaN|Infinity|[+.])/.test(text.slice(error.offset)) || /^-(Infinity|\.)/.test(text.slice(error.offset))) {
    return `${JSON.stringify(text.slice(error.offset, error.offset + 9).split(/[\s,}\]]/)[0])} is not a JSON number; write digits, as 0.5 or 10`;
  }
  if (before.endsWith(',') && /^[}\]]/.test(found)) return 'a trailing comma; JSON allows none before a closing bracket';
  if (code === 'EndOfFileExpected') return 'more after the end of the value; a file holds one object';
  if (error.offset >= text.length) return 'the file ends early; a bracket or a quote is missing';
  return `${code} at ${JSON.stringify(found)}`;
}

/** "line 3, column 5" of an offset in `text` (columns count UTF-16 units, as editors' JSON modes do). */
function position(text: string, offset: number): string {
  const lines = text.slice(0, offset).split('\n');
  return `line ${lines.length}, column ${lines[lines.length - 1].length + 1}`;
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a file';
}
