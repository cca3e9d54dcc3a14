import { TERRAFORM, terraformAvailable } from '../../src/terraform/offline';

/**
 * The offline Terraform harness for jest. The Terraform side (temp copy, CLI config, overrides, shared
 * init) lives in `src/terraform/offline.ts`, which `npm run review` uses too; this adds the jest wrapper.
 */
export { TERRAFORM, terraformAvailable, TerraformWorkdir } from '../../src/terraform/offline';
export type { PlannedChange, PlanResult } from '../../src/terraform/offline';

/**
 * `describe` for suites that run the real Terraform. Without it they skip with a visible
 * message; under `CI=true` they fail instead, so CI can never pass without running them.
 */
export function describeWithTerraform(name: string, body: () => void): void {
  if (terraformAvailable()) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      test('terraform is on PATH', () => {
        throw new Error(`${TERRAFORM} not found; CI must run the Terraform-backed tests`);
      });
    });
  } else {
    console.warn(`SKIPPED "${name}": ${TERRAFORM} is not on PATH`);
    describe.skip(name, body);
  }
}
