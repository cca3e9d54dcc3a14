import * as path from 'node:path';
import { findingsFromIssues, formatError } from './errors';
import { readJsonFile } from './json-file';
import { placeholdersIn } from './placeholders';
import { ACROSS_FILE_RULES } from './rules/across-files';
import { CROSS_FIELD_RULES } from './rules/cross-field';
import { Finding } from './rules/rule';
import { EnvironmentConfig, environmentSchema } from './schema';
import { environmentFileNames, lookalikeFileNames, STACK_NAME, STACK_NAME_RULE } from './sources';
import { shownFileName, terminalSafe } from './terminal';

/** One environment file, parsed and valid. Its stack is named after the file. */
export interface Environment {
  readonly name: string;
  readonly file: string;
  readonly config: EnvironmentConfig;
}

/**
 * How far a file got through the checks, which run in order: read and parse, the schema's field
 * rules (shape), the cross-field rules. A later stage runs only when the earlier ones pass.
 */
export type FileStage = 'read' | 'shape' | 'cross-field' | 'valid';

/** What the checks found in one file. */
export interface FileReport {
  /** The stack name: the file name without `.json`. */
  readonly name: string;
  readonly file: string;
  /** The first stage that failed, or "valid". */
  readonly stage: FileStage;
  /** The file's own errors (one line each); empty when valid. */
  readonly errors: readonly string[];
  /** The parsed file once its shape is valid (the cross-file rules read it even when a cross-field rule failed). */
  readonly config?: EnvironmentConfig;
}

/** A problem between files: reported on `file`, and involving `files` (that one and those it collides with). */
export interface AcrossFilesError {
  readonly message: string;
  readonly files: readonly string[];
  /** A warning, not an error: printed on every synth, never stops one (e.g. more clones of a source than copy-on-write allows). */
  readonly warning?: boolean;
}

/** Every finding of every file of a directory, as one report: nothing stops at the first broken file. */
export interface EnvironmentsReport {
  /** Set when the directory itself is missing or holds no environment file. */
  readonly directoryError?: string;
  readonly files: readonly FileReport[];
  readonly acrossFiles: readonly AcrossFilesError[];
  /** Files that look like environment files but are not read, one line each (warnings). */
  readonly notRead?: readonly string[];
}

export type LoadResult =
  | { readonly ok: true; readonly environments: Environment[] }
  | { readonly ok: false; readonly errors: string[] };

/**
 * Reads and checks every `*.json` in `dir` (except JSON Schemas) before any stack is built: each
 * file as far as its checks can go, then the rules across files over every file whose shape is valid.
 */
export function readEnvironments(dir: string): EnvironmentsReport {
  let names: string[];
  try {
    names = environmentFileNames(dir);
  } catch {
    return { directoryError: `${dir}: directory not found; create it with one <stack>.json per environment`, files: [], acrossFiles: [] };
  }
  if (names.length === 0) {
    return { directoryError: `${dir}: no environment files (<stack>.json) found`, files: [], acrossFiles: [] };
  }
  const checked = names.map((name) => checkFile(path.join(dir, name)));
  const files = checked.map(({ report }) => report);
  const shaped = checked.flatMap(({ report, json }) => (report.config ? [{ file: report.file, config: report.config, json }] : []));
  const acrossFiles: AcrossFilesError[] = ACROSS_FILE_RULES.flatMap((rule) => rule(shaped)).map((finding) => ({
    message: formatError(finding.file, finding),
    files: [finding.file, ...finding.others],
    ...(finding.level === 'warning' ? { warning: true } : {}),
  }));
  acrossFiles.push(...stackNamesDifferInMoreThanCase(files));
  const notRead = lookalikeFileNames(dir).map(({ name, reason }) => terminalSafe(`${shownFileName(path.join(dir, name))}: (file): not read: ${reason}`));
  return { files, acrossFiles, notRead };
}

/**
 * Stacks named alike but for case (`Preview`, `preview`) would share `cdktf.out/stacks/<name>` and a
 * state file on a case-insensitive file system (macOS, Windows): the later file gets the error.
 */
function stackNamesDifferInMoreThanCase(files: readonly FileReport[]): AcrossFilesError[] {
  const first = new Map<string, FileReport>();
  return files.flatMap((report) => {
    const key = report.name.toLowerCase();
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, report);
      return [];
    }
    return [{ message: terminalSafe(`${shownFileName(report.file)}: (file): the stack name must differ from ${shownFileName(earlier.name)} (${shownFileName(earlier.file)}) in more than case: on a case-insensitive file system they would share one output directory and state file`), files: [report.file, earlier.file] }];
  });
}

/** All or nothing: every environment of `dir`, or every error of every file. */
export function loadEnvironments(dir: string): LoadResult {
  const report = readEnvironments(dir);
  if (report.directoryError) return { ok: false, errors: [report.directoryError] };
  const errors = [...report.files.flatMap((file) => file.errors), ...report.acrossFiles.filter((finding) => !finding.warning).map((finding) => finding.message)];
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, environments: report.files.map((file) => ({ name: file.name, file: file.file, config: file.config! })) };
}

/** Reads and validates one environment file on its own. */
export function loadEnvironmentFile(file: string): { ok: true; environment: Environment } | { ok: false; errors: string[] } {
  const report = checkEnvironmentFile(file);
  if (report.stage !== 'valid') return { ok: false, errors: [...report.errors] };
  return { ok: true, environment: { name: report.name, file, config: report.config! } };
}

/** One file through every stage it can reach. */
export function checkEnvironmentFile(file: string): FileReport {
  return checkFile(file).report;
}

/** One file's report, and its JSON as parsed (before the schema's defaults) for the rules across files. */
function checkFile(file: string): { report: FileReport; json?: unknown } {
  const name = path.basename(file, '.json');
  const failed = (stage: FileStage, errors: string[], config?: EnvironmentConfig): FileReport => ({ name, file, stage, errors, config });
  if (!STACK_NAME.test(name)) {
    return { report: failed('read', [terminalSafe(`${shownFileName(file)}: (file): the file name is the stack name, so it ${STACK_NAME_RULE}`)]) };
  }
  const parsed = readJsonFile(file);
  if (!parsed.ok) return { report: failed('read', parsed.errors) };
  const json = parsed.value;
  // A placeholder left by `npm run new` is named as such, not as whatever rule its text breaks.
  const placeholders = placeholdersIn(parsed.value);
  const atPlaceholder = (finding: Finding) => placeholders.some((p) => p.path.every((segment, index) => finding.path[index] === segment));
  const result = environmentSchema.safeParse(parsed.value, { reportInput: true });
  if (!result.success || placeholders.length > 0) {
    const findings = [...placeholders, ...(result.success ? [] : findingsFromIssues(result.error.issues).filter((finding) => !atPlaceholder(finding)))];
    return { report: failed('shape', findings.map((finding) => formatError(file, finding))), json };
  }
  const findings = CROSS_FIELD_RULES.flatMap((rule) => rule(result.data));
  if (findings.length > 0) return { report: failed('cross-field', findings.map((finding) => formatError(file, finding)), result.data), json };
  return { report: { name, file, stage: 'valid', errors: [], config: result.data }, json };
}
