/**
 * `npm run drift`: a refresh-only plan of the synthesized stack against its real state (the stack's own
 * backend), and what it found changed outside Terraform. Exit 0: none; 2: drift; 1: an error. It reads
 * only: no lock is taken (a deploy is never blocked by it) and nothing is written but a temporary plan.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TERRAFORM } from '../terraform/offline';
import { configuredAttributes, Drift, driftOf, formatDrift, hasDrift, ignoredAttributes, PlanJson } from './drift-format';
import { firstLine, OperationError } from './errors';

export interface TerraformRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface DriftRuntime {
  /** Runs terraform in `cwd`; the default runs TERRAFORM (TERRAFORM_BIN, else terraform on PATH). */
  readonly terraform: (args: readonly string[], cwd: string) => TerraformRun;
}

export const DEFAULT_RUNTIME: DriftRuntime = {
  terraform: (args, cwd) => {
    const run = spawnSync(TERRAFORM, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0' } });
    if (run.error) return { status: null, stdout: '', stderr: `${TERRAFORM}: ${run.error.message}` };
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  },
};

/** Terraform's error, as one line: its first `Error:` line and the line after (the summary and its detail). */
export function terraformErrorLine(run: TerraformRun): string {
  const lines = `${run.stderr}\n${run.stdout}`.split('\n').map((line) => line.replace(/^[│╷╵\s]+/, '').trim());
  const at = lines.findIndex((line) => line.startsWith('Error:'));
  if (at < 0) return firstLine(run.stderr) || firstLine(run.stdout) || `exit ${run.status}`;
  const detail = lines.slice(at + 1).find((line) => line !== '');
  return detail ? `${lines[at]} ${detail}` : lines[at];
}

/**
 * Runs the check in `stackDir` (`cdktf.out/stacks/<stack>`): `terraform init` when the directory has not
 * been initialised, then the refresh-only plan. `say` gets the report's lines; resolves to the exit code.
 */
export function checkDrift(stack: string, stackDir: string, say: (line: string) => void, runtime: DriftRuntime = DEFAULT_RUNTIME): number {
  const config = path.join(stackDir, 'cdk.tf.json');
  if (!fs.existsSync(config)) throw new OperationError(`${stackDir} holds no synthesized stack: run npm run synth -- ${stack} first`);
  if (!fs.existsSync(path.join(stackDir, '.terraform'))) {
    say(`terraform init in ${stackDir} (its first run there)`);
    const init = runtime.terraform(['init', '-input=false', '-no-color'], stackDir);
    if (init.status !== 0) throw new OperationError(`terraform init failed in ${stackDir}: ${terraformErrorLine(init)}`);
  }
  const planDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-drift-'));
  const planFile = path.join(planDir, 'drift.tfplan');
  try {
    const plan = runtime.terraform(['plan', '-refresh-only', '-detailed-exitcode', '-input=false', '-no-color', '-lock=false', `-out=${planFile}`], stackDir);
    if (plan.status !== 0 && plan.status !== 2) throw new OperationError(`terraform plan -refresh-only failed in ${stackDir}: ${terraformErrorLine(plan)}`);
    let drift: Drift = { resources: [], expected: [], filledIn: [], outputs: [] };
    if (plan.status === 2) {
      const show = runtime.terraform(['show', '-json', planFile], stackDir);
      if (show.status !== 0) throw new OperationError(`terraform show -json failed in ${stackDir}: ${terraformErrorLine(show)}`);
      const stack = JSON.parse(fs.readFileSync(config, 'utf8'));
      drift = driftOf(JSON.parse(show.stdout) as PlanJson, ignoredAttributes(stack), configuredAttributes(stack));
    }
    for (const line of formatDrift(stack, drift)) say(line);
    return hasDrift(drift) ? 2 : 0;
  } finally {
    fs.rmSync(planDir, { recursive: true, force: true });
  }
}
