import type { z } from 'zod';
import { environmentSchema } from './schema';
import { Finding } from './rules/rule';

/** `environments/stg.json: listenerRule.priority: must be an integer from 1 to 50000 (got 0)` */
export function formatError(file: string, finding: Finding): string {
  const where = finding.path.length > 0 ? finding.path.join('.') : '(file)';
  return `${file}: ${where}: ${finding.message}${finding.value === undefined ? '' : ` (got ${show(finding.value)})`}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
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
        if (input === undefined) return [{ path, message: 'is required' }];
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
  return expected === 'array' ? 'a list' : expected === 'object' ? 'an object' : expected === 'integer' ? 'an integer' : `a ${expected}`;
}

/** The field names the schema knows at a JSON path, for "did you mean" hints. */
function knownKeysAt(path: readonly (string | number)[]): string[] {
  let schema: any = environmentSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    if (schema?.shape && typeof segment === 'string') schema = schema.shape[segment];
    else if (schema?._zod?.def?.valueType) schema = schema._zod.def.valueType;
    else if (schema?._zod?.def?.element) schema = schema._zod.def.element;
    else return [];
  }
  schema = unwrap(schema);
  if (schema?.shape) return Object.keys(schema.shape);
  // a record with enumerated keys (e.g. adopt.movedFrom)
  const keys = schema?._zod?.def?.keyType?.options;
  return Array.isArray(keys) ? keys.map(String) : [];
}

function unwrap(schema: any): any {
  let current = schema;
  while (current?._zod?.def?.innerType) current = current._zod.def.innerType;
  return current;
}

/** The nearest known name to `key` (case-insensitive edit distance at most max(2, a third of the name)), if any. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = name.toLowerCase() === key.toLowerCase() ? 0 : levenshtein(key.toLowerCase(), name.toLowerCase());
    if (distance <= Math.max(2, Math.floor(name.length / 3)) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
