import { quote, singleInterpolation, splitTemplate, templateSequences } from './template';

/**
 * Values: a JSON value as HCL lines, indented two spaces per level. Alignment and the spacing inside
 * expressions are the formatter's (`./format`); the choices here are the ones a formatter cannot make:
 * bare references, jsonencode(...), heredocs, and where a list or object breaks.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Lines of HCL; a heredoc's lines are indented with the rest (`<<-` strips the common indent). */
export type Lines = string[];

/** Lines are wrapped when a list or object would be longer than this on one line. */
const INLINE_WIDTH = 80;

export function indent(lines: readonly string[]): Lines {
  return lines.map((line) => (line === '' ? '' : `  ${line}`));
}

/** `key = value`, the value's first line on the key's line. */
export function attribute(key: string, value: readonly string[]): Lines {
  const [first, ...rest] = value;
  return [`${key} = ${first}`, ...rest];
}

export function block(header: string, body: readonly string[]): Lines {
  return [`${header} {`, ...indent(body), '}'];
}

/** Joins groups of lines with one blank line between non-empty groups. */
export function sections(groups: readonly (readonly string[])[]): Lines {
  return groups.filter((group) => group.length > 0).flatMap((group, index) => (index === 0 ? [...group] : ['', ...group]));
}

export function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface ValueContext {
  /** Inside jsonencode(...): strings that hold JSON stay strings. */
  readonly inJson?: boolean;
  /** An attribute value of a block body (the only place heredocs are used). */
  readonly heredoc?: boolean;
  /** Inside a list: short objects may stay on one line, `[{ name = "A", value = "b" }]`. */
  readonly inList?: boolean;
}

export function renderValue(value: Json, context: ValueContext = {}): Lines {
  if (value === null) return ['null'];
  if (typeof value === 'boolean' || typeof value === 'number') return [JSON.stringify(value)];
  if (typeof value === 'string') return renderString(value, context);
  if (Array.isArray(value)) return renderList(value, context);
  return renderObject(value, context);
}

function renderString(value: string, context: ValueContext): Lines {
  const expression = singleInterpolation(value);
  if (expression !== undefined && !expression.includes('\n')) return [expression];
  if (!context.inJson) {
    const document = parseJsonDocument(value);
    if (document !== undefined) return wrapCall('jsonencode', renderValue(document, { inJson: true }));
  }
  if (context.heredoc) {
    const heredoc = renderHeredoc(value);
    if (heredoc) return heredoc;
  }
  return [quote(value)];
}

/** `name(<value>)`, keeping a multi-line value's brackets on the call's lines: `jsonencode([` … `])`. */
function wrapCall(name: string, value: Lines): Lines {
  const last = value.length - 1;
  return value.map((line, index) => `${index === 0 ? `${name}(` : ''}${line}${index === last ? ')' : ''}`);
}

/**
 * A `<<-EOT` heredoc, only when it gives back exactly the string: it ends in a newline (a heredoc always
 * does), some line starts unindented (`<<-` strips the smallest indent), no carriage returns, no lines of
 * only spaces, no `${...}` spanning lines, and no line equal to the marker.
 */
function renderHeredoc(value: string): Lines | undefined {
  if (!value.includes('\n') || !value.endsWith('\n') || value.includes('\r')) return undefined;
  const lines = value.slice(0, -1).split('\n');
  if (!lines.some((line) => line !== '' && !/^\s/.test(line))) return undefined;
  if (lines.some((line) => line !== '' && line.trim() === '')) return undefined;
  if (splitTemplate(value).some((part) => part.kind !== 'literal' && part.expression.includes('\n'))) return undefined;
  let marker = 'EOT';
  for (let n = 2; lines.some((line) => line.trim() === marker); n++) marker = `EOT${n}`;
  return [`<<-${marker}`, ...indent(lines), marker];
}

function renderList(items: Json[], context: ValueContext): Lines {
  if (items.length === 0) return ['[]'];
  const rendered = items.map((item) => renderValue(item, { inJson: context.inJson, inList: true }));
  if (rendered.every((lines) => lines.length === 1)) {
    const text = `[${rendered.map((lines) => lines[0]).join(', ')}]`;
    if (text.length <= INLINE_WIDTH) return [text];
  }
  return ['[', ...indent(rendered.flatMap((lines) => withLast(lines, ','))), ']'];
}

function renderObject(object: JsonObject, context: ValueContext): Lines {
  const entries = Object.entries(object);
  if (entries.length === 0) return ['{}'];
  const rendered = entries.map(([key, item]) => ({ key: objectKey(key), lines: renderValue(item, { inJson: context.inJson }) }));
  if (context.inList && rendered.every(({ lines }) => lines.length === 1 && !lines[0].startsWith('{') && !lines[0].startsWith('['))) {
    const text = `{ ${rendered.map(({ key, lines }) => `${key} = ${lines[0]}`).join(', ')} }`;
    if (text.length <= INLINE_WIDTH) return [text];
  }
  return ['{', ...indent(rendered.flatMap(({ key, lines }) => attribute(key, lines))), '}'];
}

function withLast(lines: Lines, suffix: string): Lines {
  return lines.map((line, index) => (index === lines.length - 1 ? `${line}${suffix}` : line));
}

const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'in', 'if', 'else', 'endif', 'endfor']);

/** An object key: bare when it is an identifier, else a quoted template (JSON keys are templates too). */
export function objectKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) && !KEYWORDS.has(key) ? key : quote(key);
}

/** A string holding a reference or address (`depends_on`, `to`, `provider`...): bare, without `${}`. */
export function bare(value: Json): string {
  if (typeof value !== 'string') return renderValue(value)[0];
  return (singleInterpolation(value) ?? value).trim();
}

export function bareList(value: Json): Lines {
  if (!Array.isArray(value)) return [bare(value)];
  const texts = value.map(bare);
  const text = `[${texts.join(', ')}]`;
  if (text.length <= INLINE_WIDTH) return [text];
  return ['[', ...indent(texts.map((item) => `${item},`)), ']'];
}

// ---------------------------------------------------------------------------------------------
// JSON strings → jsonencode(...)

/**
 * The JSON object or array a string holds, when `jsonencode` of it means the same: every `${...}` of the
 * string must sit whole inside one JSON string, and mean the same there once the string is decoded
 * (`{"a": ${x}}` is not JSON; `"\u0024{x}"` is JSON but no template; `"${x", "y}"` spans two strings).
 * Such a string then becomes an HCL template inside jsonencode(...), or the bare expression when it is one
 * `${...}` (`"Resource": "${aws_x.y.arn}"` → `Resource = aws_x.y.arn`).
 */
export function parseJsonDocument(source: string): Json | undefined {
  const trimmed = source.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  let parsed: Json;
  try {
    parsed = JSON.parse(source);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  if (!templatesStayInStrings(source)) return undefined;
  // integers beyond 2^53 would change value through JSON.parse
  if (jsonNumbers(parsed).some((n) => Number.isInteger(n) && !Number.isSafeInteger(n))) return undefined;
  return parsed;
}

/** A JSON string literal, quotes included; in valid JSON, every `"` outside one starts one. */
const JSON_STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;

/**
 * Whether the template sequences Terraform finds in the whole JSON text are exactly those of its string
 * literals, each literal giving the same sequences as written and once decoded (compared as sorted lists).
 */
function templatesStayInStrings(source: string): boolean {
  const literals = source.match(JSON_STRING_LITERAL) ?? [];
  const same = (a: readonly string[], b: readonly string[]) => a.join('\0') === b.join('\0');
  if (!literals.every((literal) => same(templateSequences(literal), templateSequences(JSON.parse(literal) as string)))) return false;
  return same(templateSequences(source), literals.flatMap(templateSequences).sort());
}

function jsonNumbers(value: Json): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(jsonNumbers);
  if (value && typeof value === 'object') return Object.values(value).flatMap(jsonNumbers);
  return [];
}
