import { ProviderServer, TERRAFORM, terraformAvailable } from '../../src/terraform/offline';
import { onFileEnd } from './file-end';

/**
 * The offline Terraform harness for jest. The Terraform side (temp copy, CLI config, overrides, shared
 * init) lives in `src/terraform/offline.ts`, which `npm run review` uses too; this adds the jest wrapper.
 */
export { ProviderServer, TERRAFORM, terraformAvailable, TerraformWorkdir } from '../../src/terraform/offline';
export type { PlannedChange, PlanResult } from '../../src/terraform/offline';

// One AWS provider process per jest worker, not one per test file: a start and its first schema cost
// 1.4 s of CPU (measured), in every Terraform-backed file. Set up here, on import, since every suite
// that runs Terraform imports this harness (describeWithTerraform). The server outlives the file, kept
// on node:os (shared by the worker's files), its socket in the real temp dir; the worker's end ends it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const osModule: { tmpdir: () => string; stagingRealTmpdir?: () => string; stagingProvider?: ProviderServer } = require('node:os');
ProviderServer.shareFrom(() => {
  if (!osModule.stagingProvider?.running) osModule.stagingProvider = ProviderServer.start({}, { tmpRoot: (osModule.stagingRealTmpdir ?? osModule.tmpdir)() }).endWithThisProcess();
  return osModule.stagingProvider;
});
// at the file's end: lets go of the worker's provider (and waits for this file's commands on it)
onFileEnd(() => ProviderServer.stopShared());

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
