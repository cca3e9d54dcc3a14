import * as fs from 'node:fs';
import * as path from 'node:path';
import { findingsFromIssues, formatError } from './errors';
import { ACROSS_FILE_RULES } from './rules/across-files';
import { CROSS_FIELD_RULES } from './rules/cross-field';
import { EnvironmentConfig, environmentSchema } from './schema';

/** One environment file, parsed and valid. Its stack is named after the file. */
export interface Environment {
  readonly name: string;
  readonly file: string;
  readonly config: EnvironmentConfig;
}

export type LoadResult =
  | { readonly ok: true; readonly environments: Environment[] }
  | { readonly ok: false; readonly errors: string[] };

/**
 * Reads and validates every `*.json` in `dir` (except JSON Schemas) before any stack is built:
 * the schema's field rules, then the cross-field rules, then the rules across files.
 * Every error of every file is returned, not only the first.
 */
export function loadEnvironments(dir: string): LoadResult {
  let names: string[];
  try {
    names = fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json'))
      .sort();
  } catch {
    return { ok: false, errors: [`${dir}: directory not found; create it with one <stack>.json per environment`] };
  }
  if (names.length === 0) {
    return { ok: false, errors: [`${dir}: no environment files (<stack>.json) found`] };
  }
  const environments: Environment[] = [];
  const errors: string[] = [];
  for (const name of names) {
    const result = loadEnvironmentFile(path.join(dir, name));
    if (result.ok) environments.push(result.environment);
    else errors.push(...result.errors);
  }
  for (const rule of ACROSS_FILE_RULES) {
    for (const finding of rule(environments)) errors.push(formatError(finding.file, finding));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, environments };
}

/** Reads and validates one environment file on its own. */
export function loadEnvironmentFile(file: string): { ok: true; environment: Environment } | { ok: false; errors: string[] } {
  const name = path.basename(file, '.json');
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    return { ok: false, errors: [`${file}: (file): the file name is the stack name, so it must start with a letter and hold only letters, digits, "-" and "_"`] };
  }
  const parsed = readJson(file);
  if (!parsed.ok) return { ok: false, errors: [parsed.error] };
  const result = environmentSchema.safeParse(parsed.value, { reportInput: true });
  if (!result.success) {
    return { ok: false, errors: findingsFromIssues(result.error.issues).map((finding) => formatError(file, finding)) };
  }
  const findings = CROSS_FIELD_RULES.flatMap((rule) => rule(result.data));
  if (findings.length > 0) return { ok: false, errors: findings.map((finding) => formatError(file, finding)) };
  return { ok: true, environment: { name, file, config: result.data } };
}

function readJson(file: string): { ok: true; value: unknown } | { ok: false; error: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { ok: false, error: `${file}: cannot read the file` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `${file}: invalid JSON: ${describeJsonError(text, error as Error)}` };
  }
}

/** Turns V8's "at position N" into "line L, column C". */
function describeJsonError(text: string, error: Error): string {
  const match = /at position (\d+)/.exec(error.message);
  const message = error.message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
  if (!match) return message;
  const before = text.slice(0, Number(match[1])).split('\n');
  return `${message} (line ${before.length}, column ${before[before.length - 1].length + 1})`;
}
