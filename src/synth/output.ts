import * as fs from 'node:fs';
import * as path from 'node:path';

/** Written into every stack directory this project synthesizes, so that only those are ever removed. */
export const STACK_MARKER = '.staging-stack';

interface CdktfManifest {
  version: string;
  stacks: Record<string, { workingDirectory: string }>;
}

/** The output directory as it was before a synth: enough to put it back, or to merge into it. */
export interface OutputBefore {
  /** Removes what `new App()` created (the directory, its stacks/), when synth stops. */
  restoreLayout(): void;
  readonly manifest?: CdktfManifest;
}

export function readOutput(outdir: string): OutputBefore {
  const created = [outdir, path.join(outdir, 'stacks')].filter((dir) => !fs.existsSync(dir));
  let manifest: CdktfManifest | undefined;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  } catch {
    // no earlier synth
  }
  return {
    manifest,
    restoreLayout: () => {
      for (const dir of created.reverse()) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * After `app.synth()` wrote the named stacks: cdktf's manifest lists only those, so the stacks
 * written earlier for files that still exist go back into it (`cdktf deploy <other>` keeps working),
 * and the stack directories of files that are gone are removed, so no stale stack stays deployable.
 */
export function writeOutput(outdir: string, run: { before: OutputBefore; written: readonly string[]; known: readonly string[] }): void {
  const stacksDir = path.join(outdir, 'stacks');
  for (const name of run.written) fs.writeFileSync(path.join(stacksDir, name, STACK_MARKER), 'Synthesized by npm run synth; removed once its environment file is gone.\n');
  for (const entry of fs.readdirSync(stacksDir)) {
    if (!run.known.includes(entry) && fs.existsSync(path.join(stacksDir, entry, STACK_MARKER))) fs.rmSync(path.join(stacksDir, entry), { recursive: true, force: true });
  }
  const manifestFile = path.join(outdir, 'manifest.json');
  const manifest: CdktfManifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const kept = Object.entries(run.before.manifest?.stacks ?? {}).filter(
    ([name, entry]) => run.known.includes(name) && !run.written.includes(name) && fs.existsSync(path.join(outdir, entry.workingDirectory)),
  );
  if (kept.length === 0) return;
  const stacks = Object.fromEntries([...Object.entries(manifest.stacks), ...kept].sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, stacks }, null, 2));
}
