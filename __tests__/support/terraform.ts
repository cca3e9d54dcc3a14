import { TERRAFORM, terraformAvailable } from '../../src/terraform/offline';

/**
 * The offline Terraform harness for jest. The Terraform side (temp copy, CLI config, overrides, shared
 * init) lives in `src/terraform/offline.ts`, which `npm run review` uses too; this adds the jest wrapper.
 */
export { ProviderServer, TERRAFORM, terraformAvailable, TerraformWorkdir } from '../../src/terraform/offline';
export type { PlannedChange, PlanResult } from '../../src/terraform/offline';

/**
 * The title of the one placeholder test a skipped suite gets. `terraform-reporter.js` finds skipped
 * suites by it and names them all in one message at the end of the run (so: keep the two in step).
 */
export const SKIPPED_WITHOUT_TERRAFORM = 'skipped: needs Terraform';

/**
 * `describe` for suites that run the real Terraform. Without Terraform (`TERRAFORM_BIN`, else `terraform`
 * on PATH) the suite is skipped, its body never run (a body may synthesize, or make temp dirs, while jest
 * collects it), and the run ends with one message naming every skipped suite (terraform-reporter.js).
 * Under `CI=true` the suite fails instead, so CI can never pass without running them.
 */
export function describeWithTerraform(name: string, body: () => void): void {
  if (terraformAvailable()) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      test('terraform is on PATH', () => {
        throw new Error(`${TERRAFORM} not found (set TERRAFORM_BIN, or put terraform on PATH); CI must run the Terraform-backed tests`);
      });
    });
  } else {
    describe.skip(name, () => {
      test(SKIPPED_WITHOUT_TERRAFORM, () => undefined);
    });
  }
}
