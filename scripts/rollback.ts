// `npm run rollback -- <stack> [--to REVISION] [--timeout SECONDS]`: puts the service back on its previous
// ACTIVE revision whose image is still in ECR (or on --to), then waits until the PRIMARY deployment has
// completed on it: exit 1 when it fails, when the circuit breaker turns it back, when it does not finish
// within pipeline.waitTimeoutSeconds (600 s by default), or (one line, nothing changed) when there is no
// such revision. Needs AWS credentials; docs/operations.md shows the output and the runbook.
import { parseArguments } from '../src/operations/arguments';
import { awsClients } from '../src/operations/clients';
import { rollback } from '../src/operations/rollback';
import { runCommand } from './command';
import { loadTarget, STACK_ARGUMENT } from './operation-target';

const USAGE = `usage: npm run rollback -- <stack> [--to REVISION] [--timeout SECONDS]   ${STACK_ARGUMENT}`;

function positiveInteger(name: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(value) || Number(value) > max) throw new Error(`${name} ${value}: must be a whole number from 1 to ${max}`);
  return Number(value);
}

async function main(argv: readonly string[]): Promise<void> {
  const args = parseArguments(argv, { options: ['--to', '--timeout'] }, USAGE);
  if (args.positional.length !== 1 || args.rest.length > 0) throw new Error(USAGE);
  const to = positiveInteger('--to', args.options['--to'], 1_000_000);
  const timeoutSeconds = positiveInteger('--timeout', args.options['--timeout'], 3600);
  const target = loadTarget(args.positional[0]);
  await rollback(awsClients(target.region), target, { to, timeoutSeconds }, (line) => console.log(line), {
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });
}

if (require.main === module) runCommand(main);
