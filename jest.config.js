/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  // Type-checking is `tsc --noEmit`, run once by `npm test`; jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup.ts'],
  // Without Terraform, one message at the end names the Terraform-backed suites that were skipped.
  reporters: ['default', '<rootDir>/__tests__/support/terraform-reporter.js'],
  // Terraform-backed suites load the AWS provider schema several times.
  testTimeout: 180000,
  // Jest defaults to cores − 1 workers: one, here. The Terraform suites wait on child processes, so use both cores.
  maxWorkers: 2,
};
