// `npm run wake -- <stack> [--print]`: wakes a staging stack (or a preview, `<stack>-pr-<number>`) that
// its working hours put to sleep, now, until its next sleep action. It is the one Application Auto Scaling
// call the wake action makes: the scalable target's capacities set to desiredCount, so ECS starts the
// tasks. Needs AWS credentials; --print only prints the call.
import { spawnSync } from 'node:child_process';
import { ECS_DESIRED_COUNT, ecsServiceResourceId } from '../src/aws/autoscaling';
import { previewSchedule } from '../src/environment/capacity';
import { resolvePreview } from '../src/environment/previews';
import { runCommand } from './command';
import { loadStack } from './environment-files';

const USAGE = 'usage: npm run wake -- <stack> [--print]   (a staging stack, or a preview: <stack>-pr-<number>)';

/** What to wake: the service, its task count, and the schedule that will put it back to sleep. */
function wakeTarget(stack: string) {
  const [, environment, number] = /^(.+)-pr-(\d{1,9})$/.exec(stack) ?? [undefined, stack, undefined];
  const { file, config } = loadStack(environment, stack);
  if (number !== undefined && !config.previews) throw new Error(`${file}: previews: the environment has no previews section, so there is no ${stack}`);
  const preview = number === undefined ? undefined : resolvePreview(environment, config, Number(number));
  const schedule = preview ? previewSchedule(config) : config.service.schedule;
  if (!schedule) throw new Error(`${file}: ${preview ? 'previews.schedule' : 'service.schedule'}: ${stack} has no working hours, so it never sleeps`);
  return {
    region: config.region,
    resourceId: ecsServiceResourceId(config.cluster.name, preview ? preview.service : config.service.name),
    count: preview ? config.previews!.desiredCount : config.service.desiredCount,
    schedule,
  };
}

function main(argv: readonly string[]): void {
  const print = argv.includes('--print');
  const stacks = argv.filter((arg) => arg !== '--print');
  if (stacks.length !== 1 || stacks[0].startsWith('-')) throw new Error(USAGE);
  const target = wakeTarget(stacks[0]);
  const count = String(target.count);
  const args = ['application-autoscaling', 'register-scalable-target', '--region', target.region, '--service-namespace', 'ecs', '--resource-id', target.resourceId, '--scalable-dimension', ECS_DESIRED_COUNT, '--min-capacity', count, '--max-capacity', count];
  console.log(`aws ${args.join(' ')}`);
  if (print) return;
  const run = spawnSync('aws', args, { encoding: 'utf8' });
  if (run.error || run.status !== 0) throw new Error(`aws application-autoscaling register-scalable-target failed: ${(run.stderr || String(run.error)).trim()}`);
  console.log(`${stacks[0]}: waking to ${count} task(s) until the next sleep (${target.schedule.sleep}, ${target.schedule.timezone}). The ALB answers 503 until a task is healthy, usually a minute or two.`);
}

if (require.main === module) runCommand(main);
