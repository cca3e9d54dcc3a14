import type { z } from 'zod';
import { closest } from '../kit/suggest';
import { isSecretReference } from './rules/aws-ids';
import { shownFileName, terminalSafe } from './terminal';
import { Finding, secretFields } from './rules/rule';
import { childSchema, schemaAt, unwrap } from './fields';

/**
 * `environments/stg.json: listenerRule.priority: must be an integer from 1 to 50000 (got 0)`.
 * A plain value in a secret field (see `secretFields`) is the secret itself: it is described, never printed.
 * A file name that would break the line (a newline in it) is quoted (`shownFileName`).
 */
export function formatError(file: string, finding: Finding): string {
  const where = finding.path.length > 0 ? finding.path.join('.') : '(file)';
  return terminalSafe(`${shownFileName(file)}: ${where}: ${finding.message}${got(finding)}`);
}

function got(finding: Finding): string {
  if (finding.value === undefined) return finding.got === undefined ? '' : ` (got ${finding.got})`;
  const safe = withoutSecrets(schemaAt(finding.path), finding.value);
  if (safe instanceof Hidden) return ` (got ${safe.text})`;
  if (safe !== finding.value) return ` (got ${show(safe)})`;
  return ` (got ${finding.got ?? show(finding.value)})`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A value not shown: "a plain value, 7 characters, not shown"; inside a shown object, "<not shown, 7 characters>". */
class Hidden {
  readonly text: string;
  private readonly length: string;
  constructor(value: unknown) {
    const length = (typeof value === 'string' ? value : JSON.stringify(value) ?? '').length;
    this.length = `${length} character${length === 1 ? '' : 's'}`;
    this.text = `a plain value, ${this.length}, not shown`;
  }
  toJSON(): string {
    return `<not shown, ${this.length}>`;
  }
}

/**
 * `value` as found at a field of schema `schema`, with every plain value in a secret field hidden: the
 * value itself when the field is secret; strings in it when the field holds secret fields (a secret
 * written one level too high, e.g. `"secrets": "hunter2"`); and inside objects and lists, field by field.
 * References (ARNs, SSM parameter names, `${...}`) are shown. Returns `value` itself when nothing was hidden.
 */
function withoutSecrets(schema: any, value: unknown): unknown {
  if (isSecretSchema(schema)) return isSecretReference(value) ? value : new Hidden(value);
  if (!holdsSecrets(schema)) return value;
  if (typeof value === 'string') return isSecretReference(value) ? value : new Hidden(value);
  if (value === null || typeof value !== 'object') return value;
  let changed = false;
  const entries = Object.entries(value).map(([key, child]): [string, unknown] => {
    const safe = withoutSecrets(childSchema(schema, key), child);
    changed ||= safe !== child;
    return [key, safe];
  });
  if (!changed) return value;
  return Array.isArray(value) ? entries.map(([, child]) => child) : Object.fromEntries(entries);
}

/** Whether the field is marked secret, on itself or on what it wraps (optional, described, …). */
function isSecretSchema(schema: any): boolean {
  for (let current = schema; current?._zod; current = current._zod.def?.innerType) {
    if (secretFields.get(current)?.secret) return true;
  }
  return false;
}

const holding = new WeakMap<object, boolean>();
/** Whether a secret field lies anywhere inside the field. */
function holdsSecrets(schema: any): boolean {
  const inner = unwrap(schema);
  if (!inner || typeof inner !== 'object') return false;
  if (isSecretSchema(schema)) return true;
  const known = holding.get(inner);
  if (known !== undefined) return known;
  holding.set(inner, false);
  const def = inner._zod?.def ?? {};
  const children = [...Object.values(inner.shape ?? {}), def.valueType, def.element, ...(def.options ?? [])];
  const result = children.some((child) => child !== undefined && holdsSecrets(child));
  holding.set(inner, result);
  return result;
}

/** Turns zod's issues into findings phrased as rules: "is required", "must be …", "unknown field …". */
export function findingsFromIssues(issues: readonly z.core.$ZodIssue[]): Finding[] {
  return issues.flatMap((issue): Finding[] => {
    const path = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeysAt(path);
        return issue.keys.map((key) => {
          const suggestion = closest(key, known);
          return { path: [...path, key], message: `unknown field${suggestion ? `; did you mean "${suggestion}"?` : ` (known: ${known.join(', ')})`}` };
        });
      }
      case 'invalid_type':
        // a required field may say why it is required (zod's nonoptional with its own error, e.g. listenerRule.access)
        if (input === undefined) return [{ path, message: issue.expected === 'nonoptional' && !issue.message.startsWith('Invalid input') ? issue.message : 'is required' }];
        // a rule's own message (e.g. "must be an integer from 1 to 50000") beats zod's generic one
        if (!issue.message.startsWith('Invalid input')) return [{ path, message: issue.message, value: input }];
        return [{ path, message: `must be ${withArticle(issue.expected)}`, value: input }];
      case 'invalid_value':
        return [{ path, message: issue.message.startsWith('Invalid') ? `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` : issue.message, value: input }];
      case 'invalid_key':
        return [{ path, message: `has an invalid name: ${issue.issues[0]?.message ?? issue.message}`, value: path[path.length - 1] }];
      case 'invalid_element':
        return [{ path, message: issue.issues[0]?.message ?? issue.message, value: input }];
      default:
        return [{ path, message: issue.message, value: input }];
    }
  });
}

function withArticle(expected: string): string {
  return expected === 'array' ? 'a list' : expected === 'object' || expected === 'record' ? 'an object' : expected === 'integer' ? 'an integer' : `a ${expected}`;
}

/** The field names the schema knows at a JSON path, for "did you mean" hints. */
function knownKeysAt(path: readonly (string | number)[]): string[] {
  const schema = unwrap(schemaAt(path));
  if (schema?.shape) return Object.keys(schema.shape);
  // a record with enumerated keys (e.g. adopt.movedFrom)
  const keys = schema?._zod?.def?.keyType?.options;
  return Array.isArray(keys) ? keys.map(String) : [];
}
