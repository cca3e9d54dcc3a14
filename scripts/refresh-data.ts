// `npm run refresh-data -- <stack> [--auto-approve] [--skip-synth] [--dry-run]`: replaces the stack's
// copy-on-write clone with a fresh one of production's latest data, and lets the masking job mask it
// again: the service to 0 tasks (its working hours suspended) first, then terraform apply -replace of
// the clone's cluster and instance in cdktf.out/stacks/<stack>, whose backend cdktf wrote there
// (src/operations/refresh-data.ts). Needs AWS credentials and Terraform; --dry-run prints the commands.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseArguments } from '../src/operations/arguments';
import { refreshSteps, refreshTarget, runRefresh, shellLine, StepResult } from '../src/operations/refresh-data';
import { runCommand } from './command';
import { loadStack } from './environment-files';

const USAGE = 'usage: npm run refresh-data -- <stack> [--auto-approve] [--skip-synth] [--dry-run]';

function main(argv: readonly string[]): void {
  const args = parseArguments(argv, { flags: ['--auto-approve', '--skip-synth', '--dry-run'] }, USAGE);
  if (args.positional.length !== 1 || args.rest.length > 0) throw new Error(USAGE);
  const stack = args.positional[0];
  const { file, config } = loadStack(stack.replace(/-pr-\d{1,9}$/, ''), stack);
  const target = refreshTarget(stack, file, config);
  const root = process.cwd();
  // the kit's synth, as `npm run deploy` runs it (scripts/cdktf.js)
  const synthScript = path.relative(root, path.join(__dirname, 'synth.js')) || path.join(__dirname, 'synth.js');
  const steps = refreshSteps(target, { autoApprove: args.flags.has('--auto-approve'), skipSynth: args.flags.has('--skip-synth'), node: process.execPath, synthScript });
  if (args.flags.has('--dry-run')) {
    console.log(`${stack}: the commands refresh-data runs, in order (nothing is run):`);
    for (const step of steps) console.log(shellLine({ ...step, program: step.phase === 'synth' ? 'node' : step.program }));
    return;
  }
  runRefresh(target, steps, {
    root,
    print: (line) => console.log(line),
    run: (step): StepResult => {
      // terraform and the synth speak to the person (terraform apply asks before it replaces); the aws calls' errors become the line
      const interactive = step.program !== 'aws';
      const run = spawnSync(step.program, [...step.args], { cwd: path.join(root, step.cwd), stdio: interactive ? 'inherit' : ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      return { status: run.status, error: run.error, stderr: interactive ? undefined : run.stderr };
    },
  });
}

if (require.main === module) runCommand(main);
