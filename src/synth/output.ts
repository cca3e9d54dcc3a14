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

export interface OutputRun {
  readonly before: OutputBefore;
  /** The stacks this run wrote. */
  readonly written: readonly string[];
  /** Stacks that still exist: an environment file's, and the previews of environments with previews. */
  readonly known: readonly string[];
  /**
   * Every stack was built (no stack named, no `--preview`): a stack directory this run did not write is
   * stale, be it a gone file's or a preview no one asked for (a closed pull request's).
   */
  readonly full: boolean;
}

export interface OutputResult {
  /** Stale stack directories removed. */
  readonly removed: string[];
  /** Stale stack directories left in place because they hold Terraform state, with its files (relative to the directory). */
  readonly kept: { readonly stack: string; readonly state: string[] }[];
}

/**
 * After `app.synth()` wrote the stacks of a successful run. cdktf's manifest lists only those, so after a
 * partial synth the stacks written earlier that still exist go back into it (`cdktf deploy <other>` keeps
 * working). After a full synth the manifest lists what it wrote, and the stale stack directories are
 * removed, so no stale stack stays deployable; except a directory holding Terraform state (`stackState`),
 * which is kept and reported. A partial synth removes nothing. Only directories marked by synth are touched.
 */
export function writeOutput(outdir: string, run: OutputRun): OutputResult {
  const stacksDir = path.join(outdir, 'stacks');
  for (const name of run.written) fs.writeFileSync(path.join(stacksDir, name, STACK_MARKER), 'Synthesized by npm run synth; removed by a full synth once its environment file (or its preview) is gone.\n');
  const removed: string[] = [];
  const kept: { stack: string; state: string[] }[] = [];
  if (run.full) {
    for (const entry of fs.readdirSync(stacksDir).sort()) {
      const dir = path.join(stacksDir, entry);
      if (run.written.includes(entry) || !fs.existsSync(path.join(dir, STACK_MARKER))) continue;
      const state = stackState(dir);
      if (state.length > 0) {
        kept.push({ stack: entry, state });
      } else {
        fs.rmSync(dir, { recursive: true, force: true });
        removed.push(entry);
      }
    }
  }
  const manifestFile = path.join(outdir, 'manifest.json');
  const manifest: CdktfManifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const restored = run.full
    ? []
    : Object.entries(run.before.manifest?.stacks ?? {}).filter(
        ([name, entry]) => run.known.includes(name) && !run.written.includes(name) && !(name in manifest.stacks) && fs.existsSync(path.join(outdir, entry.workingDirectory)),
      );
  if (restored.length > 0) {
    const stacks = Object.fromEntries([...Object.entries(manifest.stacks), ...restored].sort(([a], [b]) => a.localeCompare(b)));
    fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, stacks }, null, 2));
  }
  return { removed, kept };
}

/**
 * The Terraform state a stack directory holds or points at, as paths relative to it; [] when none.
 * - `*.tfstate` in the directory: the local backend's default `terraform.tfstate`, `errored.tfstate`
 *   (an apply that could not write its remote state), and the local workspaces' `terraform.tfstate.d/`;
 * - the local backend's `path` (cdktf's default is `terraform.<stack>.tfstate` where synth ran, outside the
 *   directory), from the configuration or from what `terraform init` recorded in `.terraform/terraform.tfstate`;
 * - `.terraform/terraform.tfstate` itself when it is a state and not only the backend settings init records
 *   for every backend (an S3 backend's state is in S3, and removing the directory loses none of it).
 * Any such file counts, whatever it holds: a state synth cannot read is never removed.
 */
export function stackState(dir: string): string[] {
  const found = new Set<string>();
  const isFile = (file: string) => {
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  const add = (file: string) => {
    if (isFile(file)) found.add(path.relative(dir, file) || path.basename(file));
  };
  for (const entry of fs.readdirSync(dir)) if (entry.endsWith('.tfstate')) add(path.join(dir, entry));
  const workspaces = path.join(dir, 'terraform.tfstate.d');
  if (fs.existsSync(workspaces) && fs.statSync(workspaces).isDirectory()) {
    for (const workspace of fs.readdirSync(workspaces)) add(path.join(workspaces, workspace, 'terraform.tfstate'));
  }
  const initialized = readJson(path.join(dir, '.terraform', 'terraform.tfstate'));
  const localPaths = [
    initialized.json?.backend?.type === 'local' ? initialized.json.backend.config?.path : undefined,
    readJson(path.join(dir, 'cdk.tf.json')).json?.terraform?.backend?.local?.path,
  ];
  for (const localPath of localPaths) if (typeof localPath === 'string' && localPath !== '') add(path.resolve(dir, localPath));
  if (initialized.exists && (initialized.json === undefined || initialized.json.backend === undefined || initialized.json.resources !== undefined || initialized.json.modules !== undefined)) {
    add(path.join(dir, '.terraform', 'terraform.tfstate'));
  }
  return [...found].sort();
}

/** A JSON file's object (`json` undefined when it is no JSON object), and whether the file exists. */
function readJson(file: string): { exists: boolean; json?: any } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { exists: false };
  }
  try {
    const json = JSON.parse(text);
    return { exists: true, json: json && typeof json === 'object' && !Array.isArray(json) ? json : undefined };
  } catch {
    return { exists: true };
  }
}
