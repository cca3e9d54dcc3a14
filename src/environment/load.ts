import * as fs from 'node:fs';
import * as path from 'node:path';
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

/** Reads and validates every `*.json` in `dir` (except the JSON Schema) before any stack is built. */
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
    const file = path.join(dir, name);
    const result = loadEnvironmentFile(file);
    if (result.ok) environments.push(result.environment);
    else errors.push(...result.errors);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, environments };
}

export function loadEnvironmentFile(
  file: string,
): { ok: true; environment: Environment } | { ok: false; errors: string[] } {
  const parsed = readJson(file);
  if (!parsed.ok) return { ok: false, errors: [parsed.error] };
  const result = environmentSchema.safeParse(parsed.value, { reportInput: true });
  if (!result.success) {
    return { ok: false, errors: result.error.issues.map((issue) => `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`) };
  }
  return { ok: true, environment: { name: path.basename(file, '.json'), file, config: result.data } };
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
  const message = error.message.replace(/^JSON\.parse: /, '');
  const match = /at position (\d+)/.exec(message);
  if (!match) return message;
  const offset = Number(match[1]);
  const before = text.slice(0, offset).split('\n');
  const line = before.length;
  const column = before[before.length - 1].length + 1;
  return `${message.replace(/\s*(\(line \d+ column \d+\))?$/, '').replace(/ in JSON at position \d+/, '')} (line ${line}, column ${column})`;
}
