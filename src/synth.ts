import { App } from 'cdktf';
// cdktf runs Aspects per stack while writing it; running them first lets every stack be checked before any is written.
import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatGuardrailFinding } from './guardrails/report';
import { loadEnvironments } from './environment/load';
import { environmentSource } from './environment/sources';
import { StagingStack } from './staging-stack';

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
  /** Where the summary goes. @default console.log */
  readonly info?: (line: string) => void;
  /** Where errors go. @default console.error */
  readonly error?: (line: string) => void;
  /** Where warnings go. @default console.error */
  readonly warn?: (line: string) => void;
}

export interface SynthResult {
  /** 0 on success, 1 when any environment file is invalid. */
  readonly exitCode: number;
  /** The synthesized stacks; empty when validation failed. */
  readonly stacks: StagingStack[];
}

/**
 * Reads and validates every environment file, then builds and synthesizes one stack per file.
 * Nothing is built, and the output directory is neither created nor touched, unless every file is valid.
 */
export function synthesize(options: SynthOptions = {}): SynthResult {
  const info = options.info ?? console.log;
  const error = options.error ?? console.error;
  const warn = options.warn ?? console.error;
  const source = options.environmentsDir ? { dir: options.environmentsDir, examples: false } : environmentSource();
  if (source.examples) info(`no environment files in environments/ yet: synthesizing the examples in ${source.dir}/ (start yours with npm run new -- <name>)`);
  const loaded = loadEnvironments(source.dir);
  if (!loaded.ok) {
    for (const message of loaded.errors) error(`error: ${message}`);
    error(`synth stopped: ${loaded.errors.length} error(s); nothing was written`);
    return { exitCode: 1, stacks: [] };
  }

  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const outdirExisted = fs.existsSync(outdir);
  const app = new App({ outdir });
  const stop = (count: number, what: string): SynthResult => {
    // new App() made the output directory; leave the disk as it was.
    if (!outdirExisted) fs.rmSync(outdir, { recursive: true, force: true });
    error(`synth stopped: ${count} ${what}(s); nothing was written`);
    return { exitCode: 1, stacks: [] };
  };
  const stacks: StagingStack[] = [];
  for (const environment of loaded.environments) {
    try {
      stacks.push(new StagingStack(app, environment.name, { config: environment.config, file: path.relative(process.cwd(), environment.file) }));
    } catch (failure) {
      // A construct's own check (for users of the constructs without a file); the file's rules should catch it first.
      error(`error: ${environment.file}: ${(failure as Error).message}`);
      return stop(1, 'error');
    }
  }

  let errors = 0;
  loaded.environments.forEach((environment, index) => {
    const guardrails = stacks[index].guardrails;
    invokeAspects(stacks[index]);
    for (const finding of guardrails.findings.filter((f) => f.suppressedBecause === undefined)) {
      if (finding.level === 'error') errors++;
      (finding.level === 'error' ? error : warn)(formatGuardrailFinding(environment.file, finding));
    }
    for (const unused of guardrails.unusedSuppressions) {
      warn(`warning: ${environment.file}: guardrails.suppress: ${unused.id} matched nothing; remove it (reason: "${unused.reason}")`);
    }
  });
  if (errors > 0) return stop(errors, 'guardrail error');
  app.synth();
  for (const stack of stacks) {
    const file = path.join(stack.outputDirectory, 'cdk.tf.json');
    info(`${stack.node.id}: ${countResources(stack)} resources → ${file}`);
  }
  return { exitCode: 0, stacks };
}

function countResources(stack: StagingStack): number {
  const byType: Record<string, object> = stack.toTerraform().resource ?? {};
  return Object.values(byType).reduce((count, byName) => count + Object.keys(byName).length, 0);
}
