// One Terraform for the whole run: the harness (src/terraform/offline.ts) reads TERRAFORM_BIN; cdktf, and
// synth's check of it for adopt files, read TERRAFORM_BINARY_NAME. Set here, before jest starts its workers.
if (process.env.TERRAFORM_BIN && !process.env.TERRAFORM_BINARY_NAME) process.env.TERRAFORM_BINARY_NAME = process.env.TERRAFORM_BIN;

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Type-checking is `tsc --noEmit`, run once by `npm test`; jest only transpiles.
  transform: { '^.+\\.ts$': '<rootDir>/__tests__/support/esbuild-transform.js' },
  setupFiles: ['<rootDir>/__tests__/support/no-token-stack-traces.ts'],
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup.ts'],
  // Without Terraform, one message at the end names the Terraform-backed suites that were skipped.
  reporters: ['default', '<rootDir>/__tests__/support/terraform-reporter.js'],
  // Terraform-backed suites load the AWS provider schema several times.
  testTimeout: 180000,
  // Jest defaults to cores − 1 workers: one, here. The Terraform and emulator suites mostly wait (the
  // provider's fixed RDS waits keep the clone suite ~200 s on one worker), so one more worker than cores:
  // measured on 2 cores, same commit, 2800 tests: 2 workers 334 s, 3 workers 246 s.
  maxWorkers: 3,
};
