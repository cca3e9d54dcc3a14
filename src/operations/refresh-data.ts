/**
 * `npm run refresh-data -- <stack>` (issue 27, "Refresh"): replaces a staging stack's copy-on-write clone
 * with a fresh one of production's latest data, and lets the masking job mask it again.
 *
 * In this order, each step only after the one before succeeded:
 * 1. synthesize the stack (as `npm run deploy` does: `node scripts/synth.js <stack>`), and check that it
 *    has the clone's cluster and instance;
 * 2. `terraform init` in its directory, `cdktf.out/stacks/<stack>` (its S3 backend is in the synthesized
 *    JSON, as cdktf deploy uses it);
 * 3. with a masked clone, the service to 0 tasks FIRST, and with working hours its scalable target too,
 *    scheduled and dynamic scaling suspended: the new clone keeps the identifier, so its endpoint is the
 *    old one's, and a task left running would reconnect to the unmasked data; a wake in the meantime
 *    scales nothing;
 * 4. `terraform apply -replace=<cluster> -replace=<instance>`: the new instance's "DB instance created"
 *    event starts the masking job (`MaskStart`), which masks the clone, then scales the service up again
 *    (or resumes its working hours at what they have now).
 * Any failure is one line, saying what it leaves behind; after step 3 that is a service at 0 tasks, which
 * the masking job brings back (`aws codebuild start-build --project-name <job>` masks the clone there is).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ECS_DESIRED_COUNT, ecsServiceResourceId } from '../aws/autoscaling';
import { cloneIdentifier } from '../aws/rds';
import { maskingJobName } from '../constructs/masking-job';
import { clonesMasked, stagingClones } from '../environment/clone';
import type { EnvironmentConfig } from '../environment/schema';
import { ADDRESS } from '../kit/defaults';
import { TERRAFORM } from '../terraform/offline';
import { operationTarget, splitStackName } from './target';

/** The clone's two resources, as the stack names them: what `-replace` replaces. */
export const CLONE_ADDRESSES = [`aws_rds_cluster.${ADDRESS.databaseClone}`, `aws_rds_cluster_instance.${ADDRESS.databaseClone}`] as const;

/** What the refresh acts on: the stack's directory, its clone, and the service that waits at 0 for the mask. */
export interface RefreshTarget {
  readonly stack: string;
  readonly file: string;
  /** `cdktf.out/stacks/<stack>`, relative to the project. */
  readonly stackDir: string;
  readonly region: string;
  readonly clone: string;
  /** The masking job, when the clone is masked (else the file consents to unmasked data, and nothing waits). */
  readonly maskingJob?: string;
  readonly cluster: string;
  readonly service: string;
  /** The service has working hours: its scalable target is suspended too. */
  readonly workingHours: boolean;
}

/** The stack's clone, from its file; a preview, or a stack without a clone of its own, is a one-line error. */
export function refreshTarget(stack: string, file: string, config: EnvironmentConfig): RefreshTarget {
  const { number, environment } = splitStackName(stack);
  if (number !== undefined) {
    throw new Error(`${stack} is a preview: its clone is made with the preview and destroyed with it; destroy the preview (npm run previews -- destroy ${environment} ${number}) and push to the pull request for a fresh one`);
  }
  if (!stagingClones(config)) {
    const access = config.service.database?.access;
    throw new Error(`${file}: service.database.access: ${stack} has no clone of its own (${access === undefined ? 'no database section' : `access "${access}"`}), so there is nothing to refresh; "clone" gives it one`);
  }
  const target = operationTarget(stack, file, config);
  const clone = cloneIdentifier(config.service.database!.clusterIdentifier!, stack);
  return {
    stack,
    file,
    stackDir: path.join('cdktf.out', 'stacks', stack),
    region: target.region,
    clone,
    maskingJob: clonesMasked(config) ? maskingJobName(clone) : undefined,
    cluster: target.cluster,
    service: target.service,
    workingHours: target.schedule !== undefined,
  };
}

/** One command of the refresh, and where it runs. */
export interface RefreshStep {
  readonly program: string;
  readonly args: readonly string[];
  /** Relative to the project. */
  readonly cwd: string;
  /** What it does, for the dry run and the failure line. */
  readonly purpose: string;
  readonly phase: 'synth' | 'init' | 'scale-down' | 'replace';
}

export interface RefreshOptions {
  /** Pass -auto-approve to terraform apply (else it asks). */
  readonly autoApprove?: boolean;
  /** The stack is already synthesized (cdktf's --skip-synth). */
  readonly skipSynth?: boolean;
  /** The program that runs the synth. @default process.execPath */
  readonly node?: string;
  /** The kit's synth (scripts/synth.js, which `npm run deploy` runs). @default "scripts/synth.js", in the project */
  readonly synthScript?: string;
  /** @default TERRAFORM (TERRAFORM_BIN, TERRAFORM_BINARY_NAME, else terraform on PATH) */
  readonly terraform?: string;
}

/** The refresh's commands, in order: pure. */
export function refreshSteps(target: RefreshTarget, options: RefreshOptions = {}): RefreshStep[] {
  const terraform = options.terraform ?? TERRAFORM;
  const region = ['--region', target.region];
  const ecs = [...region, '--cluster', target.cluster];
  const suspended = 'DynamicScalingInSuspended=true,DynamicScalingOutSuspended=true,ScheduledScalingSuspended=true';
  const scaleDown: RefreshStep[] = target.maskingJob === undefined
    ? []
    : [
        ...(target.workingHours
          ? [{
              program: 'aws',
              args: ['application-autoscaling', 'register-scalable-target', ...region, '--service-namespace', 'ecs', '--resource-id', ecsServiceResourceId(target.cluster, target.service), '--scalable-dimension', ECS_DESIRED_COUNT, '--min-capacity', '0', '--max-capacity', '0', '--suspended-state', suspended],
              cwd: '.',
              purpose: `suspend the working hours of ${target.service} at 0 tasks`,
              phase: 'scale-down' as const,
            }]
          : []),
        { program: 'aws', args: ['ecs', 'update-service', ...ecs, '--service', target.service, '--desired-count', '0', '--query', 'service.desiredCount', '--output', 'text'], cwd: '.', purpose: `scale ${target.service} to 0 tasks`, phase: 'scale-down' },
        { program: 'aws', args: ['ecs', 'wait', 'services-stable', ...ecs, '--services', target.service], cwd: '.', purpose: `wait for ${target.service}'s tasks to stop`, phase: 'scale-down' },
      ];
  return [
    ...(options.skipSynth ? [] : [{ program: options.node ?? process.execPath, args: [options.synthScript ?? path.join('scripts', 'synth.js'), target.stack], cwd: '.', purpose: `synthesize ${target.stack}`, phase: 'synth' as const }]),
    { program: terraform, args: ['init', '-input=false'], cwd: target.stackDir, purpose: `terraform init in ${target.stackDir}`, phase: 'init' },
    ...scaleDown,
    {
      program: terraform,
      args: ['apply', ...(options.autoApprove ? ['-input=false', '-auto-approve'] : []), ...CLONE_ADDRESSES.map((address) => `-replace=${address}`)],
      cwd: target.stackDir,
      purpose: `replace the clone ${target.clone} (terraform apply)`,
      phase: 'replace',
    },
  ];
}

/** A command as a shell would be given it, for the dry run. */
export function shellLine(step: RefreshStep): string {
  const quote = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
  const command = [step.program, ...step.args].map(quote).join(' ');
  return step.cwd === '.' ? command : `(cd ${quote(step.cwd)} && ${command})`;
}

/** How a command ended. */
export interface StepResult {
  readonly status: number | null;
  /** The program could not be started (ENOENT). */
  readonly error?: Error;
  /** What it said on stderr, when that was captured (the aws calls). */
  readonly stderr?: string;
}

export interface RefreshIo {
  /** Runs one step, in the project (its cwd relative to it). */
  readonly run: (step: RefreshStep) => StepResult;
  readonly print: (line: string) => void;
  /** The project directory, where cdktf.out is. */
  readonly root: string;
}

/** Why a failed step failed, and what it leaves behind: one line. */
export function failureLine(target: RefreshTarget, step: RefreshStep, result: StepResult): string {
  const said = result.error ? (result.error as NodeJS.ErrnoException).code === 'ENOENT' ? `${step.program} was not found` : result.error.message : `exit ${result.status}${firstLine(result.stderr)}`;
  const restart = target.maskingJob && `aws codebuild start-build --region ${target.region} --project-name ${target.maskingJob}`;
  switch (step.phase) {
    case 'synth':
    case 'init':
      return `${step.purpose} failed (${said}): nothing was changed`;
    case 'scale-down':
      return `${step.purpose} failed (${said}): the clone was not replaced; ${target.service} may be at 0 tasks already: the masking job brings it back (${restart})`;
    case 'replace':
      return target.maskingJob
        ? `${step.purpose} failed (${said}): the clone may be replaced only in part, and ${target.service} stays at 0 tasks${target.workingHours ? ' with its working hours suspended' : ''}; run npm run refresh-data -- ${target.stack} again, or mask and serve the clone there is with ${restart}`
        : `${step.purpose} failed (${said}): the clone may be replaced only in part; run npm run refresh-data -- ${target.stack} again`;
  }
}

const firstLine = (text: string | undefined) => {
  const line = text?.trim().split('\n').filter((l) => l.trim() !== '').pop();
  return line ? `: ${line.trim()}` : '';
};

/**
 * Runs the steps in order, the first failure thrown as one line. After the synth the stack must have
 * the clone's two resources (else nothing more runs).
 */
export function runRefresh(target: RefreshTarget, steps: readonly RefreshStep[], io: RefreshIo): void {
  if (target.maskingJob === undefined) io.print(`${target.stack}: the clone is unmasked (allowUnmaskedProductionData), so ${target.service} keeps running and reconnects to the new clone`);
  for (const step of steps) {
    if (step.phase === 'init') checkSynthesized(target, io.root);
    io.print(`${target.stack}: ${step.purpose}`);
    const result = io.run(step);
    if (result.error || result.status !== 0) throw new Error(failureLine(target, step, result));
  }
  io.print(
    target.maskingJob
      ? `${target.stack}: ${target.clone} is a fresh copy-on-write clone of production's latest data; the masking job ${target.maskingJob} starts on its instance's creation, masks it, then scales ${target.service} up again (follow it: aws codebuild list-builds-for-project --region ${target.region} --project-name ${target.maskingJob})`
      : `${target.stack}: ${target.clone} is a fresh copy-on-write clone of production's latest data`,
  );
}

/** The synthesized stack has the clone's cluster and instance, at the addresses `-replace` names. */
function checkSynthesized(target: RefreshTarget, root: string): void {
  const file = path.join(root, target.stackDir, 'cdk.tf.json');
  let resources: Record<string, Record<string, unknown>>;
  try {
    resources = JSON.parse(fs.readFileSync(file, 'utf8')).resource ?? {};
  } catch {
    throw new Error(`${path.join(target.stackDir, 'cdk.tf.json')}: ${target.stack} is not synthesized (npm run synth -- ${target.stack}, or leave out --skip-synth): nothing was changed`);
  }
  const missing = CLONE_ADDRESSES.filter((address) => {
    const [type, name] = address.split('.');
    return resources[type]?.[name] === undefined;
  });
  if (missing.length > 0) throw new Error(`${path.join(target.stackDir, 'cdk.tf.json')}: has no ${missing.join(' or ')}: synthesize ${target.stack} again (its file has a clone): nothing was changed`);
}
