// `npm run drift -- <stack>`: a refresh-only plan (`terraform plan -refresh-only -detailed-exitcode`) of
// the synthesized stack in cdktf.out/stacks/<stack> against its real state, and what changed outside
// Terraform. Exit 0: no drift; 2: drift; 1: an error. Changes the stack hands to others on purpose
// (lifecycle.ignore_changes: the deploys' task definition, the working hours' desired count) are listed
// as such and are not drift. Needs AWS credentials and Terraform; synthesize first (npm run synth -- <stack>).
import * as path from 'node:path';
import { parseArguments } from '../src/operations/arguments';
import { checkDrift } from '../src/operations/drift';
import { runCommand } from './command';
import { loadTarget, STACK_ARGUMENT } from './operation-target';

const USAGE = `usage: npm run drift -- <stack>   ${STACK_ARGUMENT}`;

function main(argv: readonly string[]): void {
  const args = parseArguments(argv, {}, USAGE);
  if (args.positional.length !== 1 || args.rest.length > 0) throw new Error(USAGE);
  const target = loadTarget(args.positional[0]);
  const stackDir = path.join(process.env.CDKTF_OUTDIR ?? 'cdktf.out', 'stacks', target.stack);
  process.exitCode = checkDrift(target.stack, stackDir, (line) => console.log(line));
}

if (require.main === module) runCommand(main);
