import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProviderServer } from '../../src/terraform/offline';

Testing.setupJest();

// Every temp dir of a test file (projects, outputs, Terraform workdirs, and those of the processes it
// spawns, which inherit TMPDIR) lives under one directory, removed when the file is done. (jest gives
// the file its own process.env, which node:os does not read, so os.tmpdir itself is redirected.)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const osModule: { tmpdir: () => string; stagingRealTmpdir?: () => string; stagingProvider?: ProviderServer } = require('node:os');
const originalTmpdir = osModule.tmpdir;
// The real os.tmpdir, kept on the module the first time: a worker that runs many files (Stryker's does,
// and a file whose afterAll never ran) must not nest each file's directory in the one before.
osModule.stagingRealTmpdir ??= osModule.tmpdir;
const testTmpdir = fs.mkdtempSync(path.join(osModule.stagingRealTmpdir(), 'stg-test-'));
osModule.tmpdir = () => testTmpdir;
process.env.TMPDIR = testTmpdir;
// One AWS provider process per jest worker, not one per test file: a start and its first schema cost
// 1.4 s of CPU (measured), in every Terraform-backed file. It outlives the file, so its socket is in
// the real temp dir; the worker's end ends it.
const realTmpdir = osModule.stagingRealTmpdir;
ProviderServer.shareFrom(() => {
  if (!osModule.stagingProvider?.running) osModule.stagingProvider = ProviderServer.start({}, { tmpRoot: realTmpdir() }).endWithThisProcess();
  return osModule.stagingProvider;
});
afterAll(async () => {
  // lets go of the worker's provider (and waits for this file's commands on it)
  await ProviderServer.stopShared();
  osModule.tmpdir = originalTmpdir;
  fs.rmSync(testTmpdir, { recursive: true, force: true });
});
