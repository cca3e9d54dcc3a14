'use strict';
// A jest reporter (plain JavaScript: jest loads reporters untransformed). It prints, once at the end
// of the run, which Terraform-backed suites were skipped and why: describeWithTerraform gives each
// skipped suite one placeholder test titled SKIPPED_WITHOUT_TERRAFORM (support/terraform.ts).
const path = require('node:path');

const SKIPPED_WITHOUT_TERRAFORM = 'skipped: needs Terraform';

class TerraformReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    /** "file › suite" of every skipped suite, in the order their files finish. */
    this.skipped = [];
  }

  onTestResult(_test, result) {
    for (const assertion of result.testResults) {
      if (assertion.status === 'pending' && assertion.title === SKIPPED_WITHOUT_TERRAFORM) {
        this.skipped.push(`${path.relative(this.rootDir, result.testFilePath)} › ${assertion.ancestorTitles.join(' › ')}`);
      }
    }
  }

  onRunComplete() {
    if (this.skipped.length === 0) return;
    // as src/terraform/offline.ts chooses it
    const variable = ['TERRAFORM_BIN', 'TERRAFORM_BINARY_NAME'].find((name) => process.env[name]);
    const terraform = variable ? process.env[variable] : 'terraform';
    const lines = [
      '',
      `SKIPPED ${this.skipped.length} Terraform-backed suite(s): ${terraform} was not found` +
        `${variable ? ` (${variable})` : ' on PATH'}. Install Terraform (README, Prerequisites) to run them; under CI=true they fail instead.`,
      ...this.skipped.map((suite) => `  ${suite}`),
      '',
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
  }
}

module.exports = TerraformReporter;
