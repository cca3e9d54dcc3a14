/**
 * Terraform JSON strings are templates: `${...}` is an interpolation, `%{...}` a directive, `$${` and
 * `%%{` escapes. The renderer splits them to find references and to quote literal text; the spacing
 * inside `${...}` is left to the formatter.
 */

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
export function singleInterpolation(source: string): string | undefined {
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

/** A quoted HCL template: literal text escaped, `${...}` and `%{...}` and escapes like `$${` kept as written. */
export function quote(template: string): string {
  const body = splitTemplate(template)
    .map((part) => {
      if (part.kind === 'literal') return escapeLiteral(part.text);
      return `${part.kind === 'directive' ? '%' : '$'}{${part.expression}}`;
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

/** The `${...}`/`%{...}` sequences of a template, sorted: two templates with the same list refer to the same things. */
export function templateSequences(source: string): string[] {
  return splitTemplate(source)
    .flatMap((part) => (part.kind === 'literal' ? [] : [`${part.kind}:${part.expression}`]))
    .sort();
}
