// `npm run status -- <stack> [--json]`: one screen for whoever is on call: the URL and who may reach it,
// the service's counts, its deployments (rollout state, failed tasks, revision, image tag), its tasks with
// their target health, the last stopped tasks' reasons, the working hours, a preview's time left and the
// last deploy build. A part it cannot read is one line in its place; exit 0 once the service was found.
// Needs AWS credentials (AWS_PROFILE, or keys); docs/operations.md shows the output.
import { awsClients } from '../src/operations/clients';
import { parseArguments } from '../src/operations/arguments';
import { readStatus } from '../src/operations/status';
import { formatStatus, formatStatusJson } from '../src/operations/status-format';
import { runCommand } from './command';
import { loadTarget, STACK_ARGUMENT } from './operation-target';

const USAGE = `usage: npm run status -- <stack> [--json]   ${STACK_ARGUMENT}`;

async function main(argv: readonly string[]): Promise<void> {
  const args = parseArguments(argv, { flags: ['--json'] }, USAGE);
  if (args.positional.length !== 1 || args.rest.length > 0) throw new Error(USAGE);
  const target = loadTarget(args.positional[0]);
  const report = await readStatus(awsClients(target.region), target);
  process.stdout.write(args.flags.has('--json') ? formatStatusJson(report) : formatStatus(report));
}

if (require.main === module) runCommand(main);
