import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeWithTerraform, ProviderServer } from '../support/terraform';
import { PROJECT_ROOT } from '../support/paths';

/** Whether process `pid` exists (signal 0 checks, and sends nothing). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The child's environment: its temp files (the provider's socket directory) in this file's temp dir, removed with it. */
function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, TMPDIR: os.tmpdir() };
}

async function waitUntil(condition: () => boolean, seconds: number): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

/**
 * The shared provider process: one per jest worker (`shareFrom`, __tests__/support/terraform.ts), which a
 * test file lets go of without stopping, and which ends with the process that started it, even one
 * killed outright.
 */
describeWithTerraform('ProviderServer: the shared server, and its end', () => {
  test('shared() gives the source’s server, and stopShared lets go of it without stopping it', async () => {
    // GIVEN this worker's source (support/terraform.ts)
    const server = ProviderServer.shared();
    // WHEN the file lets go of it, then asks again
    await ProviderServer.stopShared();
    // THEN it is still up, and it is the same one
    expect(server.running).toBe(true);
    expect(ProviderServer.shared()).toBe(server);
  });

  test('a server set to end with its process is gone once that process is killed with SIGKILL (no exit handler runs)', async () => {
    // GIVEN a child process that starts a provider, prints its pid, and is then killed outright
    const script = `
      require(${JSON.stringify(path.join(PROJECT_ROOT, 'scripts', 'register-ts.js'))});
      const { ProviderServer } = require(${JSON.stringify(path.join(PROJECT_ROOT, 'src', 'terraform', 'offline.ts'))});
      const server = ProviderServer.start().endWithThisProcess();
      process.stdout.write(String(server['child'].pid));
      process.kill(process.pid, 'SIGKILL');`;
    // WHEN
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: childEnv() });
    const providerPid = Number(run.stdout);
    // THEN the provider had started, and it ends within the watcher's poll (tail --pid checks each second)
    expect(run.signal).toBe('SIGKILL');
    expect(providerPid).toBeGreaterThan(0);
    expect(await waitUntil(() => !alive(providerPid), 10)).toBe(true);
  });

  test('control: a server not set to end with its process outlives a process killed with SIGKILL', async () => {
    // GIVEN the same child, without endWithThisProcess
    const script = `
      require(${JSON.stringify(path.join(PROJECT_ROOT, 'scripts', 'register-ts.js'))});
      const { ProviderServer } = require(${JSON.stringify(path.join(PROJECT_ROOT, 'src', 'terraform', 'offline.ts'))});
      const server = ProviderServer.start();
      process.stdout.write(String(server['child'].pid));
      process.kill(process.pid, 'SIGKILL');`;
    // WHEN
    const providerPid = Number(spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: childEnv() }).stdout);
    try {
      // THEN it is still running after the time the watcher would have taken
      expect(providerPid).toBeGreaterThan(0);
      expect(await waitUntil(() => !alive(providerPid), 1.5)).toBe(false);
    } finally {
      process.kill(-providerPid, 'SIGTERM');
    }
  });
});
