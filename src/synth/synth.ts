import { App } from 'cdktf';
import { visitAll, withoutTokenStackTraces } from '../stack/cdktf-adapter';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatGuardrailFinding } from '../guardrails/report';
import { STAGING_RULES } from '../guardrails/pack';
import { formatError } from '../environment/errors';
import { FileReport, readEnvironments } from '../environment/load';
import { ACROSS_FILE_RULES } from '../environment/rules/across-files';
import { CROSS_FIELD_RULES } from '../environment/rules/cross-field';
import { EnvironmentConfig } from '../environment/schema';
import { environmentSource } from '../environment/sources';
import { shownFileName, terminalSafe } from '../environment/terminal';
import { StagingStack } from '../stack/staging-stack';
import { PreviewStack } from '../stack/preview-stack';
import { LARGEST_PULL_REQUEST, slotCollisions } from '../environment/previews';
import { readOutput, writeOutput } from './output';

export interface SynthOptions {
  /**
   * Directory holding one `<stack>.json` per environment.
   * @default - `environments/` once it holds an environment file, else `examples/` (see `environmentSource`)
   */
  readonly environmentsDir?: string;
  /**
   * Output directory.
   * @default - `CDKTF_OUTDIR` (set by the cdktf CLI), else "cdktf.out"
   */
  readonly outdir?: string;
  /**
   * The stacks to build and write. Every file is still read, for the checks across files; problems
   * of the other files are warnings (unless they collide with a named stack), and their output is left alone.
   * @default - every stack
   */
  readonly stacks?: readonly string[];
  /**
   * Pull request previews to build and write, `<environment>-pr-<number>`: for `environment` alone
   * (`--preview <environment> <number>`: its staging stack is not written), or for every named
   * environment with a `previews` section (`PREVIEW_PULL_REQUESTS=7,12`).
   * @default - none
   */
  readonly previews?: { readonly environment?: string; readonly numbers: readonly number[] };
  /** Where the summary goes. @default console.log */
  readonly info?: (line: string) => void;
  /** Where errors go. @default console.error */
  readonly error?: (line: string) => void;
  /** Where warnings go. @default console.error */
  readonly warn?: (line: string) => void;
}

export interface SynthResult {
  /** 0 on success, 1 when a named (or, with no names, any) environment is invalid or a name is unknown. */
  readonly exitCode: number;
  /** The synthesized stacks; empty when synth stopped. */
  readonly stacks: StagingStack[];
  /** The synthesized previews; empty when synth stopped. */
  readonly previews: PreviewStack[];
}

/** How many checks a file misses when it stops at a stage, for "N more checks skipped". */
const SKIPPED_AFTER: Record<Exclude<FileReport['stage'], 'valid'>, { count: number; what: string }> = {
  read: { count: CROSS_FIELD_RULES.length + ACROSS_FILE_RULES.length + STAGING_RULES.length, what: 'cross-field, across files, guardrails' },
  shape: { count: CROSS_FIELD_RULES.length + ACROSS_FILE_RULES.length + STAGING_RULES.length, what: 'cross-field, across files, guardrails' },
  'cross-field': { count: STAGING_RULES.length, what: 'guardrails' },
};

/**
 * Reads and checks every environment file, then builds, checks and writes the named stacks (or all).
 * Every problem of every file is reported in one run. Nothing is written, and the output directory
 * is left as it was, unless every named stack passes.
 */
export function synthesize(options: SynthOptions = {}): SynthResult {
  const info = options.info ?? console.log;
  const error = options.error ?? console.error;
  const warn = options.warn ?? console.error;
  const failed = (): SynthResult => ({ exitCode: 1, stacks: [], previews: [] });

  const source = options.environmentsDir ? { dir: options.environmentsDir, examples: false } : environmentSource();
  if (source.examples) info(`no environment files in environments/ yet: synthesizing the examples in ${source.dir}/ (start yours with npm run new -- <name>)`);
  const report = readEnvironments(source.dir);
  if (report.directoryError) {
    error(`error: ${report.directoryError}`);
    return failed();
  }
  for (const line of report.notRead ?? []) warn(`warning: ${line}`);
  const known = report.files.map((file) => file.name);
  const previewEnvironment = options.previews?.environment;
  const unknown = [...(options.stacks ?? []), ...(previewEnvironment ? [previewEnvironment] : [])].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    error(terminalSafe(`error: no stack ${unknown.map((name) => JSON.stringify(name)).join(', ')}; the stacks of ${shownFileName(`${source.dir}/`)} are: ${known.map(shownFileName).join(', ')}`));
    return failed();
  }
  const named = new Set(previewEnvironment ? [previewEnvironment] : options.stacks && options.stacks.length > 0 ? options.stacks : known);
  const namedFiles = new Set(report.files.filter((file) => named.has(file.name)).map((file) => file.file));

  let errors = 0;
  const problem = (isError: boolean, line: string) => {
    if (isError) errors++;
    (isError ? error : warn)(isError ? `error: ${line}` : `warning: ${line} (not a named stack, so not an error in this run)`);
  };
  for (const file of report.files) {
    for (const line of file.errors) problem(namedFiles.has(file.file), line);
    if (file.stage !== 'valid' && namedFiles.has(file.file)) {
      const skipped = SKIPPED_AFTER[file.stage];
      error(`${shownFileName(file.file)}: ${skipped.count} more checks (${skipped.what}) skipped until these are fixed`);
    }
  }
  for (const finding of report.acrossFiles) {
    if (finding.warning) warn(`warning: ${finding.message}`);
    else problem(finding.files.some((file) => namedFiles.has(file)), finding.message);
  }

  // cdktf runs `terraform version` while writing import and moved blocks, and throws unless it is >= 1.5:
  // ask once, here, and say why in one line per file.
  const adopting = report.files.filter((f) => named.has(f.name) && f.stage === 'valid' && adopts(f.config!));
  const unusable = adopting.length > 0 ? terraformForAdopt() : undefined;
  if (unusable) {
    for (const file of adopting) problem(true, `${file.file}: adopt: import and moved blocks need Terraform >= 1.5 on PATH while synthesizing (${unusable})`);
  }

  const previewRequests = report.files
    .filter((file) => named.has(file.name) && file.stage === 'valid' && options.previews && (previewEnvironment !== undefined || file.config!.previews))
    .map((file) => ({ file, numbers: options.previews!.numbers }));
  for (const { file, numbers } of previewRequests) for (const line of previewProblems(file.config!, numbers)) problem(true, `${file.file}: previews: ${line}`);

  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const before = readOutput(outdir);
  // No construct metadata traces: a file's problems are reported by path, never by construct stack.
  const app = new App({ outdir, stackTraces: false });
  const stop = (what: string): SynthResult => {
    // new App() made the output directory (and its stacks/); leave the disk as it was.
    before.restoreLayout();
    error(`synth stopped: ${what}; nothing was written`);
    return failed();
  };
  const stacks: StagingStack[] = [];
  const previews: PreviewStack[] = [];
  const sourceFiles = new Map<StagingStack | PreviewStack, string>();
  for (const file of report.files.filter((f) => named.has(f.name) && f.stage === 'valid' && previewEnvironment === undefined)) {
    try {
      const stack = withoutTokenStackTraces(() => new StagingStack(app, file.name, { config: file.config!, file: path.relative(process.cwd(), file.file) }));
      stacks.push(stack);
      sourceFiles.set(stack, file.file);
    } catch (failure) {
      // A construct's own check (for users of the constructs without a file); the file's rules should catch it first.
      problem(true, `${file.file}: ${(failure as Error).message}`);
    }
  }
  if (errors === 0) {
    for (const { file, numbers } of previewRequests) {
      for (const number of numbers) {
        try {
          const stack = withoutTokenStackTraces(() => new PreviewStack(app, { config: file.config!, environment: file.name, number }));
          previews.push(stack);
          sourceFiles.set(stack, file.file);
        } catch (failure) {
          problem(true, `${file.file}: ${(failure as Error).message}`);
        }
      }
    }
  }
  for (const stack of [...stacks, ...previews]) {
    // cdktf runs Aspects per stack while writing it; running them first checks every stack before any is written.
    withoutTokenStackTraces(() => visitAll(stack, stack.guardrails));
    const file = sourceFiles.get(stack)!;
    const unresolved = stack instanceof StagingStack ? stack.unresolvedReferences : [];
    for (const finding of [...unresolved, ...stack.guardrails.invalidSuppressions]) problem(true, formatError(file, finding));
    for (const finding of stack.guardrails.findings.filter((f) => f.suppressedBecause === undefined)) {
      if (finding.level === 'error') errors++;
      (finding.level === 'error' ? error : warn)(formatGuardrailFinding(file, finding));
    }
    for (const unused of stack.guardrails.unusedSuppressions) {
      warn(terminalSafe(`warning: ${file}: guardrails.suppress: ${unused.id} matched nothing; remove it (reason: "${unused.reason}")`));
    }
  }
  if (errors > 0) return stop(`${errors} error(s)`);

  try {
    withoutTokenStackTraces(() => app.synth());
  } catch (failure) {
    // cdktf's own validations (e.g. the Terraform version): one line, never a stack trace.
    error(`error: ${String((failure as Error).message).split('\n').find((line) => line.trim() !== '') ?? failure}`);
    return stop('cdktf could not write the stacks');
  }
  for (const preview of previews) fs.writeFileSync(path.join(preview.outputDirectory, PREVIEW_DESCRIPTION), `${JSON.stringify(preview.describe(), null, 2)}\n`);
  // A partial synth keeps the manifest entries of the stacks that still exist: a preview exists while its
  // environment has previews. A full synth (no stack named, no --preview) writes every stack there is, with
  // the previews asked for (PREVIEW_PULL_REQUESTS), so what it did not write is stale and is removed.
  const withPreviews = report.files.filter((file) => file.config?.previews).map((file) => file.name);
  const isPreviewOfKnown = (name: string) => withPreviews.some((environment) => new RegExp(`^${environment}-pr-\\d+$`).test(name));
  const stackDirs = fs.existsSync(path.join(outdir, 'stacks')) ? fs.readdirSync(path.join(outdir, 'stacks')) : [];
  const full = previewEnvironment === undefined && (options.stacks ?? []).length === 0;
  const output = writeOutput(outdir, { before, written: [...stacks, ...previews].map((stack) => stack.node.id), known: [...known, ...stackDirs.filter(isPreviewOfKnown)], full });
  for (const stack of stacks) {
    const file = path.join(stack.outputDirectory, 'cdk.tf.json');
    info(`${stack.node.id}: ${countResources(file)} resources → ${file}`);
  }
  for (const preview of previews) {
    const file = path.join(preview.outputDirectory, 'cdk.tf.json');
    info(`${preview.node.id}: ${countResources(file)} resources, https://${preview.preview.host}, priority ${preview.preview.priorities.join(', ')} → ${file}`);
  }
  if (output.kept.length > 0) warn(keptWarning(outdir, output.kept));
  return { exitCode: 0, stacks, previews };
}

/** The one line naming the stale stack directories a full synth kept for their Terraform state. */
function keptWarning(outdir: string, kept: readonly { stack: string; state: readonly string[] }[]): string {
  const shown = (file: string) => path.relative(process.cwd(), file) || '.';
  const dirs = kept.map(({ stack, state }) => {
    const dir = path.join(outdir, 'stacks', stack);
    return `${shown(dir)} (${state.map((file) => shown(path.join(dir, file))).join(', ')})`;
  });
  return (
    `warning: kept ${kept.length === 1 ? 'a stale stack directory' : `${kept.length} stale stack directories`} because of the Terraform state ${kept.length === 1 ? 'it holds' : 'they hold'}: ${dirs.join('; ')}. ` +
    'No environment file or preview makes them any more: destroy what they manage (terraform -chdir=<directory> destroy), then delete them'
  );
}

/** Beside each preview's cdk.tf.json: what the previews build reads before it applies. */
export const PREVIEW_DESCRIPTION = 'preview.json';

/** Why these pull requests cannot all have previews of one environment, one line each; [] when they can. */
function previewProblems(config: EnvironmentConfig, numbers: readonly number[]): string[] {
  if (!config.previews) return ['this environment has no previews section: add one to make previews of it'];
  const bad = numbers.filter((number) => !Number.isSafeInteger(number) || number < 1 || number > LARGEST_PULL_REQUEST);
  if (bad.length > 0) return [`must be pull request numbers from 1 to ${LARGEST_PULL_REQUEST} (got ${bad.join(', ')})`];
  if (new Set(numbers).size > config.previews.maxOpen) return [`the band is full: ${new Set(numbers).size} previews asked for, maxOpen is ${config.previews.maxOpen}`];
  return slotCollisions(config, [...new Set(numbers)]).map(
    ([held, number]) => `PR ${number} would take slot ${number % config.previews!.maxOpen} of the band, which PR ${held} holds (numbers ${config.previews!.maxOpen} apart share a slot); close one, or raise maxOpen`,
  );
}

/** Resources in a written stack, counted from the file itself (resolving the stack again costs as much as its synth). */
function countResources(file: string): number {
  const byType: Record<string, object> = JSON.parse(fs.readFileSync(file, 'utf8')).resource ?? {};
  return Object.values(byType).reduce((count, byName) => count + Object.keys(byName).length, 0);
}

/** Whether a file's `adopt` section writes any import or moved block. */
function adopts(config: EnvironmentConfig): boolean {
  const { movedFrom, ...imports } = config.adopt ?? {};
  return Object.values(imports).some(Boolean) || Object.keys(movedFrom ?? {}).length > 0;
}

/** Answers of terraformForAdopt, by binary and PATH: a synth asks once, and so does a process that synthesizes many times. */
const adoptAnswers = new Map<string, string | undefined>();

/** Why the Terraform cdktf will ask (TERRAFORM_BINARY_NAME, else terraform on PATH) cannot write import blocks; undefined when it can. */
function terraformForAdopt(): string | undefined {
  const binary = process.env.TERRAFORM_BINARY_NAME || 'terraform';
  const key = `${binary}\0${process.env.PATH}`;
  if (!adoptAnswers.has(key)) adoptAnswers.set(key, askTerraformVersion(binary));
  return adoptAnswers.get(key);
}

function askTerraformVersion(binary: string): string | undefined {
  const run = spawnSync(`${binary} version`, { shell: true, encoding: 'utf8' });
  if (run.error || run.status === 127) return `${binary} not found`;
  if (run.status !== 0) return `\`${binary} version\` failed`;
  const version = /\d+\.\d+\.\d+/.exec(run.stdout)?.[0];
  if (!version) return `\`${binary} version\` printed no version`;
  const [major, minor] = version.split('.').map(Number);
  return major > 1 || (major === 1 && minor >= 5) ? undefined : `found ${version}`;
}
