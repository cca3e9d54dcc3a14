/**
 * Work to finish when a test file ends, before setup.ts removes its temp dir: a support module that
 * holds something per file (the worker's AWS provider, support/terraform.ts) registers it here. A module
 * of its own, light, so setup.ts, which runs for every file, loads nothing heavy for the files that
 * register nothing.
 */
const hooks: (() => Promise<void>)[] = [];

export function onFileEnd(hook: () => Promise<void>): void {
  hooks.push(hook);
}

export async function runFileEndHooks(): Promise<void> {
  for (const hook of hooks.splice(0)) await hook();
}
