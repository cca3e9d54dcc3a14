'use strict';
// `npm run test:unit`: the inner loop. Every suite but those that run Terraform, the AWS emulator or a
// database server: the ones whose file calls describeWithTerraform, describeWithEmulator or
// describeWithDatabaseServer (__tests__/support/), found by reading the files, so a new suite is sorted
// by the helper it uses. Terraform and moto are made unreachable here: a suite that runs either without
// its helper fails in this run instead of slowing it (TERRAFORM_BIN and MOTO_PYTHON point nowhere).
// `npm test` stays the one complete command.
const fs = require('node:fs');
const path = require('node:path');

const NEEDS_SERVICES = /\bdescribeWith(Terraform|Emulator|DatabaseServer)\(/;

function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(file);
    return entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const serviceSuites = testFiles(path.join(__dirname, '__tests__')).filter((file) => NEEDS_SERVICES.test(fs.readFileSync(file, 'utf8')));

process.env.TERRAFORM_BIN = path.join(__dirname, 'node_modules', '.not-in-unit-tests', 'terraform');
process.env.TERRAFORM_BINARY_NAME = process.env.TERRAFORM_BIN;
process.env.MOTO_PYTHON = path.join(__dirname, 'node_modules', '.not-in-unit-tests', 'python3');
process.env.STAGING_TEST_SCOPE = 'unit';

const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/', ...serviceSuites.map((file) => `^${escape(file)}$`)],
};
