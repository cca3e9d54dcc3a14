// `npm run exec -- <stack> [--container NAME] [--task ID] [-- COMMAND...]`: ECS Exec into a running task
// of the service (default: the newest, its app container, /bin/sh), through session-manager-plugin as the
// AWS CLI does. Without the plugin: one line with how to install it and the equivalent
// `aws ecs execute-command` command. Previews have no ECS Exec. Needs AWS credentials.
import { parseArguments } from '../src/operations/arguments';
import { awsClients } from '../src/operations/clients';
import { execInto } from '../src/operations/exec';
import { commandOf } from '../src/operations/exec-command';
import { taskIdOf } from '../src/operations/logs-format';
import { spawnSync } from 'node:child_process';
import { runCommand } from './command';
import { loadTarget, STACK_ARGUMENT } from './operation-target';

const USAGE = `usage: npm run exec -- <stack> [--container NAME] [--task ID] [-- COMMAND...]   ${STACK_ARGUMENT}`;

async function main(argv: readonly string[]): Promise<void> {
  const args = parseArguments(argv, { options: ['--container', '--task'] }, USAGE);
  if (args.positional.length !== 1) throw new Error(USAGE);
  const task = args.options['--task'] === undefined ? undefined : taskIdOf(args.options['--task']);
  const target = loadTarget(args.positional[0]);
  const code = await execInto(awsClients(target.region), target, { container: args.options['--container'], task, command: commandOf(args.rest) }, {
    path: process.env.PATH,
    profile: process.env.AWS_PROFILE ?? '',
    endpoint: process.env.AWS_ENDPOINT_URL_ECS || process.env.AWS_ENDPOINT_URL || `https://ecs.${target.region}.amazonaws.com`,
    run: (file, pluginArgs) => {
      // Ctrl-C, Ctrl-Z and Ctrl-\ belong to the session: the plugin passes them on
      const ignore = () => undefined;
      for (const signal of ['SIGINT', 'SIGTSTP', 'SIGQUIT'] as const) process.on(signal, ignore);
      try {
        const run = spawnSync(file, pluginArgs, { stdio: 'inherit' });
        return run.status ?? 1;
      } finally {
        for (const signal of ['SIGINT', 'SIGTSTP', 'SIGQUIT'] as const) process.off(signal, ignore);
      }
    },
  });
  process.exitCode = code;
}

if (require.main === module) runCommand(main);
