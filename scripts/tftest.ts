// `npm run tftest`: synthesizes every environment, then runs tftest/*.tftest.hcl against each stack,
// offline, with the AWS provider mocked (see src/terraform/tftest.ts).
import { synthesize } from '../src/synth';
import { runTerraformTests, tftestVariables } from '../src/terraform/tftest';

function main(): number {
  const synth = synthesize({ info: () => undefined });
  if (synth.exitCode !== 0) return synth.exitCode;
  let failed = 0;
  for (const stack of synth.stacks) {
    const result = runTerraformTests(stack.outputDirectory, tftestVariables(stack.config));
    console.log(`${stack.node.id}: ${result.passed ? 'pass' : 'FAIL'}\n${result.output.trim().replace(/^/gm, '  ')}`);
    if (!result.passed) failed++;
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = main();
