/**
 * Renders Terraform JSON (cdktf's `cdk.tf.json`) as HCL written the way people write it, so a reviewer
 * can read a stack beside the article's HCL. Terraform keeps running the JSON; this HCL is for reading.
 *
 * Decisions (README, "Review"):
 * - Block or attribute: the provider schema decides when it knows the argument (`SchemaSource`, derived
 *   from @cdktf/provider-aws in `./index`); otherwise objects and lists of objects are blocks, except the
 *   names in `MAP_ATTRIBUTES`. `terraform`, `locals`, `variable`, `output`, `module` bodies have fixed shapes.
 * - Order in a block: `count`/`for_each`/`provider`; then attributes (`name`, `name_prefix`, `family` first,
 *   the other one-line values alphabetically, then multi-line values alphabetically, `tags`/`tags_all` last);
 *   then nested blocks alphabetically (repeated blocks in their JSON order), `dynamic` blocks; then
 *   `lifecycle`, `provisioner`, `connection`; `depends_on` last. Groups are separated by a blank line.
 * - Strings: `"${expr}"` becomes the bare `expr`; a string that parses as a JSON object or array becomes
 *   `jsonencode(...)` of HCL values; a multi-line attribute value becomes a `<<-EOT` heredoc when that is
 *   exact; everything else is a quoted template. Terraform JSON strings are already templates, so `$${` and
 *   `%%{` escapes carry over unchanged.
 * - Output is `terraform fmt` clean: `=` aligned as fmt aligns it, spacing inside expressions as fmt spaces it.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** What a provider schema says about one argument of a block. */
export interface ArgumentSchema {
  /** True for a nested block, false for an attribute (maps and object-typed attributes included). */
  readonly block: boolean;
  /** The nested block's own schema, when known. */
  readonly body?: BlockSchema;
}

/** The arguments of one block type (resource, data source, provider or nested block). */
export interface BlockSchema {
  /** What the provider says about `name`; undefined when the schema does not know it. */
  argument(name: string): ArgumentSchema | undefined;
}

/** Where block schemas come from; any method may return undefined (the fallback rules apply). */
export interface SchemaSource {
  resource(type: string): BlockSchema | undefined;
  data(type: string): BlockSchema | undefined;
  provider(name: string): BlockSchema | undefined;
}

export interface RenderOptions {
  /** Provider schemas used to tell blocks from map attributes. @default - the fallback rules only */
  readonly schemas?: SchemaSource;
  /** Comment lines put at the top of the file, without `#`. @default - none */
  readonly header?: readonly string[];
}

/** Attributes that hold maps, for when no schema is known: an object under these names is never a block. */
const MAP_ATTRIBUTES: ReadonlySet<string> = new Set([
  'tags',
  'tags_all',
  'labels',
  'variables',
  'triggers',
  'environment_variables',
  'parameters',
  'options',
  'docker_labels',
  'metadata',
  'annotations',
  'attributes',
]);

/** Top-level keys in the order they are rendered. */
const TOP_LEVEL = ['terraform', 'provider', 'variable', 'locals', 'data', 'resource', 'module', 'moved', 'import', 'removed', 'output'];
const META_FIRST = ['count', 'for_each', 'provider'];
const IDENTITY_FIRST = ['name', 'name_prefix', 'family'];
const ATTRIBUTES_LAST = ['tags', 'tags_all'];
const LIFECYCLE_AND_AFTER = ['lifecycle', 'provisioner', 'connection'];
/** Lines are wrapped when a list or object would be longer than this on one line. */
const INLINE_WIDTH = 80;

// ---------------------------------------------------------------------------------------------
// Templates: Terraform JSON strings are templates; `${...}` is an interpolation, `%{...}` a directive.

export type TemplatePart =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'interpolation' | 'directive'; readonly expression: string };

/** Splits a template into literal text (escapes like `$${` kept as written) and `${...}`/`%{...}` sequences. */
export function splitTemplate(source: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('$${', i) || source.startsWith('%%{', i)) {
      literal += source.slice(i, i + 3);
      i += 3;
      continue;
    }
    if ((source[i] === '$' || source[i] === '%') && source[i + 1] === '{') {
      const close = findClosingBrace(source, i + 2);
      if (close >= 0) {
        if (literal) parts.push({ kind: 'literal', text: literal });
        literal = '';
        parts.push({ kind: source[i] === '$' ? 'interpolation' : 'directive', expression: source.slice(i + 2, close) });
        i = close + 1;
        continue;
      }
    }
    literal += source[i];
    i += 1;
  }
  if (literal) parts.push({ kind: 'literal', text: literal });
  return parts;
}

/** The expression of a template that is exactly one `${...}`, else undefined. */
function singleInterpolation(source: string): string | undefined {
  const parts = splitTemplate(source);
  if (parts.length !== 1 || parts[0].kind !== 'interpolation') return undefined;
  const expression = parts[0].expression;
  // `${~ x ~}` strips whitespace around it: not a plain value
  return expression.startsWith('~') || expression.endsWith('~') ? undefined : expression.trim();
}

/** Index of the `}` closing an expression that starts at `from`, skipping nested braces and strings; -1 if none. */
function findClosingBrace(source: string, from: number): number {
  let depth = 0;
  for (let i = from; i < source.length; i++) {
    const char = source[i];
    if (char === '"') {
      i = findClosingQuote(source, i + 1);
      if (i < 0) return -1;
    } else if (char === '{') {
      depth += 1;
    } else if (char === '}') {
      if (depth === 0) return i;
      depth -= 1;
    }
  }
  return -1;
}

/** Index of the `"` closing a quoted template inside an expression; -1 if none. */
function findClosingQuote(source: string, from: number): number {
  for (let i = from; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') {
      i += 1;
    } else if (char === '"') {
      return i;
    } else if (source.startsWith('$${', i) || source.startsWith('%%{', i)) {
      i += 2;
    } else if ((char === '$' || char === '%') && source[i + 1] === '{') {
      i = findClosingBrace(source, i + 2);
      if (i < 0) return -1;
    }
  }
  return -1;
}

/** Re-spaces the interpolations of a template as `terraform fmt` would; literal text is untouched. */
export function normalizeTemplate(source: string): string {
  return splitTemplate(source)
    .map((part) => {
      if (part.kind === 'literal') return part.text;
      if (part.kind === 'directive') return `%{${part.expression}}`;
      return `\${${padBraces(formatExpression(part.expression))}}`;
    })
    .join('');
}

/** fmt puts a space between `${` and an object constructor, and between its `}` and the closing `}`. */
function padBraces(expression: string): string {
  return `${expression.startsWith('{') ? ' ' : ''}${expression}${expression.endsWith('}') ? ' ' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Expressions: re-spaced token by token with `terraform fmt`'s rules (hclwrite's spaceAfterToken).

type TokenKind = 'ident' | 'number' | 'string' | 'open' | 'close' | 'comma' | 'dot' | 'ellipsis' | 'op';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '=>', '=', '<', '>', '!', '+', '-', '*', '/', '%', '?', ':'];

/** Tokenizes an HCL expression; undefined for anything unusual (heredocs, comments), which is kept as written. */
function tokenize(expression: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const rest = expression.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest.startsWith('<<') || rest.startsWith('#') || rest.startsWith('//') || rest.startsWith('/*')) return undefined;
    const word = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(rest) ?? undefined;
    const number = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(rest) ?? undefined;
    if (word) {
      tokens.push({ kind: 'ident', text: word[0] });
      i += word[0].length;
    } else if (number) {
      tokens.push({ kind: 'number', text: number[0] });
      i += number[0].length;
    } else if (rest[0] === '"') {
      const close = findClosingQuote(expression, i + 1);
      if (close < 0) return undefined;
      tokens.push({ kind: 'string', text: `"${normalizeTemplate(expression.slice(i + 1, close))}"` });
      i = close + 1;
    } else if (rest.startsWith('...')) {
      tokens.push({ kind: 'ellipsis', text: '...' });
      i += 3;
    } else if ('([{'.includes(rest[0])) {
      tokens.push({ kind: 'open', text: rest[0] });
      i += 1;
    } else if (')]}'.includes(rest[0])) {
      tokens.push({ kind: 'close', text: rest[0] });
      i += 1;
    } else if (rest[0] === ',') {
      tokens.push({ kind: 'comma', text: ',' });
      i += 1;
    } else if (rest[0] === '.') {
      tokens.push({ kind: 'dot', text: '.' });
      i += 1;
    } else {
      const operator = OPERATORS.find((candidate) => rest.startsWith(candidate));
      if (!operator) return undefined;
      tokens.push({ kind: 'op', text: operator });
      i += operator.length;
    }
  }
  return tokens;
}

/** Operators after which a `-` is a negation, not a subtraction. */
const BEFORE_NEGATION = new Set(['=', ':', '?', '+', '*', '/', '%', '-', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '!']);

function spaceAfter(before: Token | undefined, subject: Token, after: Token): boolean {
  if (subject.kind === 'ident' && after.text === '(') return false;
  if (subject.kind === 'dot' || after.kind === 'dot') return false;
  if (after.kind === 'comma' || after.kind === 'ellipsis') return false;
  if (subject.kind === 'comma') return true;
  if (subject.text === 'in' && subject.kind === 'ident' && before?.kind === 'ident') return true;
  if (after.text === '[' && (subject.kind === 'ident' || subject.kind === 'number' || subject.kind === 'close')) return false;
  if (subject.text === '-' && subject.kind === 'op') {
    return !(before === undefined || before.kind === 'open' || before.kind === 'comma' || BEFORE_NEGATION.has(before.text));
  }
  if (subject.text === '!' && subject.kind === 'op') return false;
  if (subject.text === '{' || after.text === '}') return !(subject.text === '{' && after.text === '}');
  if (subject.kind === 'open') return false;
  if (after.kind === 'close') return false;
  return true;
}

/** An HCL expression spaced as `terraform fmt` spaces it, on one line. */
export function formatExpression(expression: string): string {
  const tokens = tokenize(expression);
  if (!tokens) return expression.trim();
  let text = '';
  tokens.forEach((token, index) => {
    text += token.text;
    const after = tokens[index + 1];
    if (after && spaceAfter(tokens[index - 1], token, after)) text += ' ';
  });
  return text;
}

// ---------------------------------------------------------------------------------------------
// JSON strings → jsonencode(...)

/**
 * The JSON object or array a string holds, when `jsonencode` of it means the same: every `${...}` of the
 * string must sit inside one JSON string (`{"a": ${x}}` is not JSON; `"\u0024{x}"` is JSON but no template).
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
  const outside = templateSequences(source);
  const inside = jsonStrings(parsed).flatMap(templateSequences);
  if (outside.join('\0') !== inside.join('\0')) return undefined;
  // integers beyond 2^53 would change value through JSON.parse
  if (jsonNumbers(parsed).some((n) => Number.isInteger(n) && !Number.isSafeInteger(n))) return undefined;
  return parsed;
}

function templateSequences(source: string): string[] {
  return splitTemplate(source)
    .flatMap((part) => (part.kind === 'literal' ? [] : [`${part.kind}:${part.expression}`]))
    .sort();
}

/** Every string of a JSON value, object keys included. */
function jsonStrings(value: Json): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(jsonStrings);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => [key, ...jsonStrings(item)]);
  return [];
}

function jsonNumbers(value: Json): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.flatMap(jsonNumbers);
  if (value && typeof value === 'object') return Object.values(value).flatMap(jsonNumbers);
  return [];
}

// ---------------------------------------------------------------------------------------------
// Lines: every rendered line knows whether fmt aligns its `=` with its neighbours.

/**
 * `assign`: a whole value on one line (with a key, fmt aligns its `=` with adjacent ones); `break`: a line
 * that ends an alignment run (brackets, blank lines); `transparent`: heredoc content, which fmt treats as
 * part of the line that opened it.
 */
type Align = 'assign' | 'break' | 'transparent';

interface Line {
  /** Indent level relative to the enclosing construct (2 spaces each). */
  readonly depth: number;
  readonly text: string;
  readonly key?: string;
  readonly align: Align;
}

const BLANK: Line = { depth: 0, text: '', align: 'break' };

function shift(lines: readonly Line[], by: number): Line[] {
  return lines.map((line) => ({ ...line, depth: line.depth + by }));
}

function isSingleLine(lines: readonly Line[]): boolean {
  return lines.slice(1).every((line) => line.align === 'transparent');
}

/** `key = value`: one-line values join fmt's alignment runs; the first line of a multi-line value ends them. */
function attribute(key: string, value: readonly Line[]): Line[] {
  const [first, ...rest] = value;
  const single = isSingleLine(value) && first.align !== 'break';
  return [{ depth: 0, key, text: first.text, align: single ? 'assign' : 'break' }, ...rest];
}

function block(header: string, body: readonly Line[]): Line[] {
  return [{ depth: 0, text: `${header} {`, align: 'break' }, ...shift(body, 1), { depth: 0, text: '}', align: 'break' }];
}

/** Joins groups of lines with one blank line between non-empty groups. */
function sections(groups: readonly (readonly Line[])[]): Line[] {
  return groups.filter((group) => group.length > 0).flatMap((group, index) => (index === 0 ? [...group] : [BLANK, ...group]));
}

/** Prints lines, aligning `=` in runs of adjacent one-line attributes like `terraform fmt`. */
function print(lines: readonly Line[]): string {
  const widths = new Map<number, number>();
  let run: number[] = [];
  const closeRun = () => {
    const width = Math.max(0, ...run.map((index) => codePoints(lines[index].key ?? '')));
    for (const index of run) widths.set(index, width);
    run = [];
  };
  lines.forEach((line, index) => {
    if (line.align === 'assign' && line.key !== undefined) run.push(index);
    else if (line.align !== 'transparent') closeRun();
  });
  closeRun();
  return lines
    .map((line, index) => {
      if (line.key === undefined) return line.text === '' ? '' : `${'  '.repeat(line.depth)}${line.text}`;
      const key = line.key + ' '.repeat(Math.max(0, (widths.get(index) ?? 0) - codePoints(line.key)));
      return `${'  '.repeat(line.depth)}${key} = ${line.text}`;
    })
    .join('\n');
}

/** fmt measures columns in characters, not bytes. */
function codePoints(text: string): number {
  return [...text].length;
}

// ---------------------------------------------------------------------------------------------
// Values

interface ValueContext {
  /** Inside jsonencode(...): strings that hold JSON stay strings. */
  readonly inJson?: boolean;
  /** An attribute value of a block body (the only place heredocs are used). */
  readonly heredoc?: boolean;
  /** Inside a list: short objects may stay on one line, `[{ name = "A", value = "b" }]`. */
  readonly inList?: boolean;
}

function single(text: string): Line[] {
  return [{ depth: 0, text, align: 'assign' }];
}

function renderValue(value: Json, context: ValueContext = {}): Line[] {
  if (value === null) return single('null');
  if (typeof value === 'boolean' || typeof value === 'number') return single(JSON.stringify(value));
  if (typeof value === 'string') return renderString(value, context);
  if (Array.isArray(value)) return renderList(value, context);
  return renderObject(value, context);
}

function renderString(value: string, context: ValueContext): Line[] {
  const expression = singleInterpolation(value);
  if (expression !== undefined && !expression.includes('\n')) return single(formatExpression(expression));
  if (!context.inJson) {
    const document = parseJsonDocument(value);
    if (document !== undefined) return wrapCall('jsonencode', renderValue(document, { inJson: true }));
  }
  if (context.heredoc) {
    const heredoc = renderHeredoc(value);
    if (heredoc) return heredoc;
  }
  return single(quote(value));
}

/** `name(<value>)`, keeping a multi-line value's brackets on the call's lines: `jsonencode([` … `])`. */
function wrapCall(name: string, value: Line[]): Line[] {
  if (value.length === 1) return single(`${name}(${value[0].text})`);
  const last = value.length - 1;
  return value.map((line, index) => ({ ...line, text: `${index === 0 ? `${name}(` : ''}${line.text}${index === last ? ')' : ''}` }));
}

/** A quoted HCL template: literal text escaped, `${...}` re-spaced, escapes like `$${` kept. */
function quote(template: string): string {
  const body = splitTemplate(template)
    .map((part) => {
      if (part.kind === 'literal') return escapeLiteral(part.text);
      if (part.kind === 'directive') return `%{${part.expression}}`;
      return `\${${padBraces(formatExpression(part.expression))}}`;
    })
    .join('');
  return `"${body}"`;
}

function escapeLiteral(text: string): string {
  return text.replace(/[\\"\u0000-\u001f\u007f]/g, (char) => {
    switch (char) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

/**
 * A `<<-EOT` heredoc, only when it gives back exactly the string: it ends in a newline (a heredoc always
 * does), some line starts unindented (`<<-` strips the smallest indent), no carriage returns, no lines of
 * only spaces, no `${...}` spanning lines, and no line equal to the marker.
 */
function renderHeredoc(value: string): Line[] | undefined {
  if (!value.includes('\n') || !value.endsWith('\n') || value.includes('\r')) return undefined;
  const lines = value.slice(0, -1).split('\n');
  if (!lines.some((line) => line !== '' && !/^\s/.test(line))) return undefined;
  if (lines.some((line) => line !== '' && line.trim() === '')) return undefined;
  if (splitTemplate(value).some((part) => part.kind !== 'literal' && part.expression.includes('\n'))) return undefined;
  let marker = 'EOT';
  for (let n = 2; lines.some((line) => line.trim() === marker); n++) marker = `EOT${n}`;
  return [
    { depth: 0, text: `<<-${marker}`, align: 'assign' },
    ...lines.map((line): Line => ({ depth: 1, text: line, align: 'transparent' })),
    { depth: 0, text: marker, align: 'transparent' },
  ];
}

function renderList(items: Json[], context: ValueContext): Line[] {
  if (items.length === 0) return single('[]');
  const rendered = items.map((item) => renderValue(item, { inJson: context.inJson, inList: true }));
  if (rendered.every((lines) => lines.length === 1)) {
    const text = `[${rendered.map((lines) => lines[0].text).join(', ')}]`;
    if (text.length <= INLINE_WIDTH) return single(text);
  }
  const body = rendered.flatMap((lines) => {
    const last = lines.length - 1;
    return lines.map((line, index): Line => ({ ...line, depth: line.depth + 1, text: index === last ? `${line.text},` : line.text }));
  });
  return [{ depth: 0, text: '[', align: 'break' }, ...body, { depth: 0, text: ']', align: 'break' }];
}

function renderObject(object: JsonObject, context: ValueContext): Line[] {
  const entries = Object.entries(object);
  if (entries.length === 0) return single('{}');
  const rendered = entries.map(([key, item]) => ({ key: objectKey(key), lines: renderValue(item, { inJson: context.inJson }) }));
  if (context.inList && rendered.every(({ lines }) => lines.length === 1 && !lines[0].text.startsWith('{') && !lines[0].text.startsWith('['))) {
    const text = `{ ${rendered.map(({ key, lines }) => `${key} = ${lines[0].text}`).join(', ')} }`;
    if (text.length <= INLINE_WIDTH) return single(text);
  }
  const body = rendered.flatMap(({ key, lines }) => shift(attribute(key, lines), 1));
  return [{ depth: 0, text: '{', align: 'break' }, ...body, { depth: 0, text: '}', align: 'break' }];
}

const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'in', 'if', 'else', 'endif', 'endfor']);

/** An object key: bare when it is an identifier, else a quoted template (JSON keys are templates too). */
function objectKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) && !KEYWORDS.has(key) ? key : quote(key);
}

/** A string holding a reference or address (`depends_on`, `to`, `provider`...): bare, without `${}`. */
function bare(value: Json): string {
  if (typeof value !== 'string') return renderValue(value)[0].text;
  return formatExpression(singleInterpolation(value) ?? value);
}

function bareList(value: Json): Line[] {
  if (!Array.isArray(value)) return single(bare(value));
  const texts = value.map(bare);
  const text = `[${texts.join(', ')}]`;
  if (text.length <= INLINE_WIDTH) return single(text);
  return [{ depth: 0, text: '[', align: 'break' }, ...texts.map((item): Line => ({ depth: 1, text: `${item},`, align: 'break' })), { depth: 0, text: ']', align: 'break' }];
}

// ---------------------------------------------------------------------------------------------
// Block bodies

/** How to read one block body. */
interface BodySpec {
  readonly schema?: BlockSchema;
  /** Resource or data source: meta-arguments (`count`, `lifecycle`, `depends_on`...) apply. */
  readonly meta?: boolean;
  /** No nested blocks: every object is a map or object attribute (`locals`, backend settings). */
  readonly attributesOnly?: boolean;
  /** Arguments whose strings are bare expressions (addresses, type constraints, keywords). */
  readonly bare?: ReadonlySet<string>;
  /** Nested blocks with a fixed shape, by name. */
  readonly blocks?: Readonly<Record<string, BodySpec>>;
  /** Nested blocks with one label, `name "label" { }`, by name. */
  readonly labeled?: Readonly<Record<string, BodySpec>>;
  /** Attributes put first, in this order. @default IDENTITY_FIRST */
  readonly first?: readonly string[];
}

// Terraform's own blocks: their nested blocks are listed, every other object is a value (a provisioner's
// `environment` is a map, for one).
const ATTRIBUTES_ONLY: BodySpec = { attributesOnly: true };
const CONDITION: BodySpec = { attributesOnly: true, first: ['condition', 'error_message'] };
const LIFECYCLE: BodySpec = {
  attributesOnly: true,
  bare: new Set(['ignore_changes', 'replace_triggered_by']),
  blocks: { precondition: CONDITION, postcondition: CONDITION },
};
const CONNECTION: BodySpec = { attributesOnly: true };
const PROVISIONER: BodySpec = { attributesOnly: true, bare: new Set(['when', 'on_failure']), blocks: { connection: CONNECTION } };

/** Is this argument rendered as nested block(s)? Exported so tests can predict the parsed-back shape. */
export function isBlockArgument(name: string, value: Json, schema: BlockSchema | undefined): boolean {
  const known = schema?.argument(name);
  const objects = Array.isArray(value) ? value.every(isObject) : isObject(value);
  if (!objects) return false;
  if (known) return known.block;
  if (Array.isArray(value) && value.length === 0) return false;
  return !MAP_ATTRIBUTES.has(name);
}

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asList(value: Json): Json[] {
  return Array.isArray(value) ? value : [value];
}

function entriesOf(body: JsonObject): [string, Json][] {
  return Object.entries(body).filter(([key]) => key !== '//');
}

/** The HCL body of one block: meta-arguments, attributes, nested blocks, lifecycle, depends_on. */
function renderBody(body: JsonObject, spec: BodySpec): Line[] {
  const meta: Line[] = [];
  const attributes: { key: string; lines: Line[] }[] = [];
  const blocks: { key: string; lines: Line[] }[] = [];
  const dynamics: Line[][] = [];
  const late: Line[][] = [];
  let dependsOn: Line[] = [];

  for (const [key, value] of entriesOf(body)) {
    if (spec.meta && META_FIRST.includes(key)) continue;
    if (spec.meta && key === 'depends_on') {
      dependsOn = attribute('depends_on', bareList(value));
    } else if (spec.meta && LIFECYCLE_AND_AFTER.includes(key)) {
      continue;
    } else if (key === 'dynamic' && isObject(value) && !spec.attributesOnly) {
      for (const [label, content] of entriesOf(value)) {
        for (const item of asList(content)) if (isObject(item)) dynamics.push(renderDynamic(label, item, spec.schema?.argument(label)?.body));
      }
    } else if (spec.labeled?.[key] && isObject(value)) {
      for (const [label, content] of entriesOf(value)) {
        for (const item of asList(content)) if (isObject(item)) blocks.push({ key, lines: block(`${key} ${quote(label)}`, renderBody(item, spec.labeled[key])) });
      }
    } else if (spec.blocks?.[key] && (isObject(value) || (Array.isArray(value) && value.every(isObject)))) {
      for (const item of asList(value)) blocks.push({ key, lines: block(key, renderBody(item as JsonObject, spec.blocks[key])) });
    } else if (!spec.attributesOnly && isBlockArgument(key, value, spec.schema)) {
      const nested: BodySpec = { schema: spec.schema?.argument(key)?.body };
      for (const item of asList(value)) blocks.push({ key, lines: block(key, renderBody(item as JsonObject, nested)) });
    } else if (spec.bare?.has(key)) {
      attributes.push({ key, lines: attribute(key, bareList(value)) });
    } else {
      attributes.push({ key, lines: attribute(key, renderValue(value, { heredoc: true })) });
    }
  }

  if (spec.meta) {
    for (const key of META_FIRST) {
      if (body[key] === undefined) continue;
      meta.push(...attribute(key, key === 'provider' ? single(bare(body[key])) : renderValue(body[key])));
    }
    for (const key of LIFECYCLE_AND_AFTER) {
      if (body[key] === undefined) continue;
      if (key === 'lifecycle') for (const item of asList(body[key])) if (isObject(item)) late.push(block('lifecycle', renderBody(item, LIFECYCLE)));
      if (key === 'connection') for (const item of asList(body[key])) if (isObject(item)) late.push(block('connection', renderBody(item, CONNECTION)));
      if (key === 'provisioner') late.push(...renderProvisioners(body[key]));
    }
  }

  return sections([
    meta,
    orderAttributes(attributes, spec.first ?? IDENTITY_FIRST).flatMap((entry) => entry.lines),
    ...blocks.sort((a, b) => compare(a.key, b.key)).map((entry) => entry.lines),
    ...dynamics,
    ...late,
    dependsOn,
  ]);
}

/** `first` attributes, other one-line values, multi-line values, then tags; alphabetical inside each. */
function orderAttributes<T extends { key: string; lines: Line[] }>(attributes: T[], first: readonly string[]): T[] {
  const rank = (entry: T): number => {
    if (first.includes(entry.key)) return first.indexOf(entry.key) - first.length;
    if (ATTRIBUTES_LAST.includes(entry.key)) return 100 + ATTRIBUTES_LAST.indexOf(entry.key);
    return entry.lines.length === 1 ? 10 : 20;
  };
  return [...attributes].sort((a, b) => rank(a) - rank(b) || compare(a.key, b.key));
}

/** Plain code-unit order: the same on every machine, unlike localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function renderDynamic(label: string, body: JsonObject, contentSchema: BlockSchema | undefined): Line[] {
  const spec: BodySpec = {
    attributesOnly: true,
    bare: new Set(['iterator']),
    blocks: { content: { schema: contentSchema } },
    first: ['for_each', 'iterator', 'labels'],
  };
  return block(`dynamic ${quote(label)}`, renderBody(body, spec));
}

/** cdktf writes `provisioner: [{ "local-exec": {...} }]`. */
function renderProvisioners(value: Json): Line[][] {
  return asList(value).flatMap((item) =>
    isObject(item) ? entriesOf(item).filter(([, body]) => isObject(body)).map(([type, body]) => block(`provisioner ${quote(type)}`, renderBody(body as JsonObject, PROVISIONER))) : [],
  );
}

// ---------------------------------------------------------------------------------------------
// Top level

const TERRAFORM: BodySpec = {
  blocks: {
    required_providers: ATTRIBUTES_ONLY,
    cloud: { blocks: { workspaces: ATTRIBUTES_ONLY } },
  },
  labeled: { backend: ATTRIBUTES_ONLY, provider_meta: ATTRIBUTES_ONLY },
};
const VARIABLE: BodySpec = { attributesOnly: true, bare: new Set(['type']), blocks: { validation: CONDITION }, first: ['type', 'description', 'default'] };
const OUTPUT: BodySpec = { attributesOnly: true, bare: new Set(['depends_on']), blocks: { precondition: CONDITION }, first: ['description', 'value'] };
const MODULE: BodySpec = { attributesOnly: true, bare: new Set(['depends_on']) };
const IMPORT: BodySpec = { attributesOnly: true, bare: new Set(['to', 'provider']) };
const MOVED: BodySpec = { attributesOnly: true, bare: new Set(['from', 'to']) };
const REMOVED: BodySpec = { bare: new Set(['from']), blocks: { lifecycle: ATTRIBUTES_ONLY } };

/** Renders a whole Terraform JSON document as one HCL file. */
export function renderHcl(config: JsonObject, options: RenderOptions = {}): string {
  const unknown = Object.keys(config).filter((key) => key !== '//' && !TOP_LEVEL.includes(key));
  if (unknown.length > 0) throw new Error(`cannot render top-level ${unknown.map((key) => `"${key}"`).join(', ')} as HCL`);
  const schemas = options.schemas;
  const blocks: Line[][] = [];
  for (const key of TOP_LEVEL) {
    const value = config[key];
    if (value === undefined) continue;
    blocks.push(...renderTopLevel(key, value, schemas));
  }
  const header = (options.header ?? []).map((line) => (line ? `# ${line}` : '#')).join('\n');
  const body = print(sections(blocks));
  return `${header ? `${header}\n\n` : ''}${body}\n`;
}

function renderTopLevel(key: string, value: Json, schemas: SchemaSource | undefined): Line[][] {
  switch (key) {
    case 'terraform':
      return asList(value).filter(isObject).map((body) => block('terraform', renderBody(body, TERRAFORM)));
    case 'provider':
      return labeledEntries(value).flatMap(([name, body]) => asList(body).filter(isObject).map((item) => block(`provider ${quote(name)}`, renderBody(item, { schema: schemas?.provider(name) }))));
    case 'variable':
      return labeledEntries(value).flatMap(([name, body]) => asList(body).filter(isObject).map((item) => block(`variable ${quote(name)}`, renderBody(item, VARIABLE))));
    case 'locals':
      return asList(value).filter(isObject).map((body) => block('locals', renderBody(body, ATTRIBUTES_ONLY)));
    case 'data':
    case 'resource':
      return labeledEntries(value).flatMap(([type, byName]) =>
        labeledEntries(byName).flatMap(([name, body]) =>
          asList(body).filter(isObject).map((item) => {
            const schema = key === 'data' ? schemas?.data(type) : schemas?.resource(type);
            return block(`${key} ${quote(type)} ${quote(name)}`, renderBody(item, { schema, meta: true }));
          }),
        ),
      );
    case 'module':
      return labeledEntries(value).flatMap(([name, body]) => asList(body).filter(isObject).map((item) => block(`module ${quote(name)}`, renderModule(item))));
    case 'output':
      return labeledEntries(value).flatMap(([name, body]) => asList(body).filter(isObject).map((item) => block(`output ${quote(name)}`, renderBody(item, OUTPUT))));
    case 'import':
      return asList(value).filter(isObject).map((body) => block('import', renderBody(body, IMPORT)));
    case 'moved':
      return asList(value).filter(isObject).map((body) => block('moved', renderBody(body, MOVED)));
    case 'removed':
      return asList(value).filter(isObject).map((body) => block('removed', renderBody(body, REMOVED)));
    default:
      return [];
  }
}

function labeledEntries(value: Json): [string, Json][] {
  return isObject(value) ? entriesOf(value) : [];
}

/** `providers = { aws = aws.west }`: the values are provider addresses, written bare. */
function renderModule(body: JsonObject): Line[] {
  const providers = body.providers;
  if (!isObject(providers)) return renderBody(body, MODULE);
  const addresses = Object.fromEntries(entriesOf(providers).map(([alias, address]) => [alias, typeof address === 'string' ? `\${${singleInterpolation(address) ?? address}}` : address]));
  return renderBody({ ...body, providers: addresses }, MODULE);
}
