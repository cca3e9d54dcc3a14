import { App } from 'cdktf';
import * as path from 'node:path';
import { loadEnvironments } from './environment/load';
import { StagingStack } from './staging-stack';

export interface SynthOptions {
  /**
   * Directory holding one `<stack>.json` per environment.
   * @default "environments"
   */
  readonly environmentsDir?: string;
  /**
   * Output directory.
   * @default - `CDKTF_OUTDIR` (set by the cdktf CLI), else "cdktf.out"
   */
  readonly outdir?: string;
  /** Where the summary goes. @default console.log */
  readonly info?: (line: string) => void;
  /** Where errors and warnings go. @default console.error */
  readonly error?: (line: string) => void;
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
  const loaded = loadEnvironments(options.environmentsDir ?? 'environments');
  if (!loaded.ok) {
    for (const message of loaded.errors) error(`error: ${message}`);
    error(`synth stopped: ${loaded.errors.length} error(s); nothing was written`);
    return { exitCode: 1, stacks: [] };
  }

  const app = new App({ outdir: options.outdir });
  const stacks = loaded.environments.map((environment) => new StagingStack(app, environment.name, { config: environment.config }));
  app.synth();
  for (const stack of stacks) {
    const file = path.join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json');
    info(`${stack.node.id}: ${countResources(stack)} resources → ${file}`);
  }
  return { exitCode: 0, stacks };
}

function countResources(stack: StagingStack): number {
  const byType: Record<string, object> = stack.toTerraform().resource ?? {};
  return Object.values(byType).reduce((count, byName) => count + Object.keys(byName).length, 0);
}
