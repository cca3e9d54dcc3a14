import * as fs from 'node:fs';
import * as path from 'node:path';
import { runFileEndHooks } from './file-end';

// Runs for every test file, so it loads nothing heavy: cdktf's matchers are set up by the suites that use
// them (support/cdktf-matchers.ts), the worker's AWS provider by the Terraform harness (support/terraform.ts).

// Every temp dir of a test file (projects, outputs, Terraform workdirs, and those of the processes it
// spawns, which inherit TMPDIR) lives under one directory, removed when the file is done. (jest gives
// the file its own process.env, which node:os does not read, so os.tmpdir itself is redirected.)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const osModule: { tmpdir: () => string; stagingRealTmpdir?: () => string } = require('node:os');
const originalTmpdir = osModule.tmpdir;
// The real os.tmpdir, kept on the module the first time: a worker that runs many files (Stryker's does,
// and a file whose afterAll never ran) must not nest each file's directory in the one before.
osModule.stagingRealTmpdir ??= osModule.tmpdir;
const testTmpdir = fs.mkdtempSync(path.join(osModule.stagingRealTmpdir(), 'stg-test-'));
osModule.tmpdir = () => testTmpdir;
process.env.TMPDIR = testTmpdir;
afterAll(async () => {
  // what the file's support modules hold (the worker's provider: this file's commands on it end first)
  await runFileEndHooks();
  osModule.tmpdir = originalTmpdir;
  fs.rmSync(testTmpdir, { recursive: true, force: true });
});
