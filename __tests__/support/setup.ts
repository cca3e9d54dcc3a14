import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProviderServer } from '../../src/terraform/offline';

Testing.setupJest();

// Every temp dir of a test file (projects, outputs, Terraform workdirs, and those of the processes it
// spawns, which inherit TMPDIR) lives under one directory, removed when the file is done. (jest gives
// the file its own process.env, which node:os does not read, so os.tmpdir itself is redirected.)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const osModule: { tmpdir: () => string } = require('node:os');
const originalTmpdir = osModule.tmpdir;
const testTmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-test-'));
osModule.tmpdir = () => testTmpdir;
process.env.TMPDIR = testTmpdir;
afterAll(async () => {
  // the provider this file's Terraform runs attached to (it lives in the temp dir below)
  await ProviderServer.stopShared();
  osModule.tmpdir = originalTmpdir;
  fs.rmSync(testTmpdir, { recursive: true, force: true });
});
