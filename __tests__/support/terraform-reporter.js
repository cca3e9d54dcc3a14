'use strict';
// A jest reporter (plain JavaScript: jest loads reporters untransformed). It prints, once at the end
// of the run, which Terraform-backed suites were skipped and why: describeWithTerraform gives each
// skipped suite one placeholder test titled SKIPPED_WITHOUT_TERRAFORM (support/terraform.ts).
const path = require('node:path');

const SKIPPED_WITHOUT_TERRAFORM = 'skipped: needs Terraform';
// as support/emulator.ts names it
const SKIPPED_WITHOUT_EMULATOR = 'skipped: needs the AWS emulator (moto_server)';

class TerraformReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    /** "file › suite" of every skipped suite, in the order their files finish. */
    this.skipped = [];
    /** The same, for suites that need the AWS emulator. */
    this.skippedEmulator = [];
  }

  onTestResult(_test, result) {
    for (const assertion of result.testResults) {
      const suite = `${path.relative(this.rootDir, result.testFilePath)} › ${assertion.ancestorTitles.join(' › ')}`;
      if (assertion.status === 'pending' && assertion.title === SKIPPED_WITHOUT_TERRAFORM) this.skipped.push(suite);
      if (assertion.status === 'pending' && assertion.title === SKIPPED_WITHOUT_EMULATOR) this.skippedEmulator.push(suite);
    }
  }

  onRunComplete() {
    if (this.skippedEmulator.length > 0) {
      const lines = [
        '',
        `SKIPPED ${this.skippedEmulator.length} AWS emulator suite(s): moto_server (or terraform) was not found. ` +
          'Install it with pip install "moto[server]" (docs/testing.md, "Tested against an AWS API"); with STAGING_REQUIRE_AWS_EMULATOR=true (.ci/run) they fail instead.',
        ...this.skippedEmulator.map((suite) => `  ${suite}`),
        '',
      ];
      process.stderr.write(`${lines.join('\n')}\n`);
    }
    if (this.skipped.length === 0) return;
    // as src/terraform/offline.ts chooses it
    const variable = ['TERRAFORM_BIN', 'TERRAFORM_BINARY_NAME'].find((name) => process.env[name]);
    const terraform = variable ? process.env[variable] : 'terraform';
    const lines = [
      '',
      `SKIPPED ${this.skipped.length} Terraform-backed suite(s): ${terraform} was not found` +
        `${variable ? ` (${variable})` : ' on PATH'}. Install Terraform (docs/getting-started.md, Prerequisites) to run them; under CI=true they fail instead.`,
      ...this.skipped.map((suite) => `  ${suite}`),
      '',
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
  }
}

module.exports = TerraformReporter;
