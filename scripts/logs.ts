// `npm run logs -- <stack> [--since 10m] [--follow] [--task ID] [--container NAME]`: the container's
// events from its log group, paginated to the end, oldest first; --follow polls every second (Ctrl-C
// ends it). --since takes 30s, 10m, 1h, 2d, 1h30m or a time like 2026-12-07T10:00:00Z (default 10m).
// Needs AWS credentials; docs/operations.md shows the output.
import { parseArguments } from '../src/operations/arguments';
import { awsClients } from '../src/operations/clients';
import { printLogs } from '../src/operations/logs';
import { parseSince, streamPrefix, taskIdOf } from '../src/operations/logs-format';
import { runCommand } from './command';
import { loadTarget, STACK_ARGUMENT } from './operation-target';

const USAGE = `usage: npm run logs -- <stack> [--since 10m] [--follow] [--task ID] [--container NAME]   ${STACK_ARGUMENT}`;

async function main(argv: readonly string[]): Promise<void> {
  const args = parseArguments(argv, { flags: ['--follow'], options: ['--since', '--task', '--container'] }, USAGE);
  if (args.positional.length !== 1 || args.rest.length > 0) throw new Error(USAGE);
  const now = Date.now();
  const startTime = parseSince(args.options['--since'] ?? '10m', now);
  const task = args.options['--task'] === undefined ? undefined : taskIdOf(args.options['--task']);
  const target = loadTarget(args.positional[0]);
  const container = args.options['--container'] ?? target.container;
  let stopped = false;
  // Ctrl-C ends following after the poll under way (within a second), and the command exits 0
  if (args.flags.has('--follow')) process.once('SIGINT', () => (stopped = true));
  const result = await printLogs(
    awsClients(target.region),
    target,
    { startTime, container, task, follow: args.flags.has('--follow') },
    (line) => process.stdout.write(`${line}\n`),
    { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), stopped: () => stopped },
  );
  if (result.events === 0) console.error(`(no events in ${target.logGroup}, streams ${streamPrefix(target.logStreamPrefix, container, task)}*, since ${new Date(startTime).toISOString()})`);
}

if (require.main === module) runCommand(main);
