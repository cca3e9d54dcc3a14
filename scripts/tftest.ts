// `npm run tftest`: synthesizes every environment, then runs tftest/*.tftest.hcl against each stack,
// offline, with the AWS provider mocked (see src/terraform/tftest.ts).
import { synthesize } from '../src/synth/synth';
import { runTerraformTests, tftestVariables } from '../src/terraform/tftest';

function main(): number {
  const synth = synthesize({ info: () => undefined });
  if (synth.exitCode !== 0) return synth.exitCode;
  const targets = Object.fromEntries(synth.stacks.map((stack) => [stack.node.id, { dir: stack.outputDirectory, variables: tftestVariables(stack.config) }]));
  const result = runTerraformTests(targets);
  console.log(result.output.trim());
  return result.passed ? 0 : 1;
}

process.exitCode = main();
