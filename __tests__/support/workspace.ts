import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { asChildModule } from '../../src/terraform/offline';
import { PlannedChange, ProviderServer, TerraformWorkdir } from './terraform';

/** The region of every example and fixture. */
const REGION = 'ap-northeast-1';

/**
 * Several configurations as child modules of one workspace, so that one `terraform plan` answers
 * for all of them (each call costs ~4 s of provider schema). `modules` maps a module name to its
 * files (name → contents), made child modules by `asChildModule` (all use the same region, the root
 * provider's). The workspace is initialised for real: child modules must be installed.
 */
export function moduleWorkspace(modules: Record<string, Record<string, string>>, state?: string): TerraformWorkdir {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-workspace-'));
  fs.writeFileSync(
    path.join(root, 'modules.tf.json'),
    JSON.stringify({ provider: { aws: { region: REGION } }, module: Object.fromEntries(Object.keys(modules).map((name) => [name, { source: `./${name}` }])) }),
  );
  // one provider block: the workspace may attach to the shared provider process
  const workdir = TerraformWorkdir.fromStack(root, { provider: ProviderServer.shared() });
  fs.rmSync(root, { recursive: true, force: true });
  for (const [name, files] of Object.entries(modules)) {
    for (const [file, contents] of Object.entries(files)) workdir.write(path.join(name, file), asChildModule(file, contents));
  }
  if (state) workdir.write('terraform.tfstate', state);
  workdir.run('init', '-input=false', '-no-color');
  return workdir;
}

/** The Terraform files of a directory (a synthesized stack, a fixture), name → contents. */
export function terraformFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs.readdirSync(dir).filter((file) => file.endsWith('.tf') || file.endsWith('.tf.json')).map((file) => [file, fs.readFileSync(path.join(dir, file), 'utf8')]),
  );
}

/** A plan's changes grouped by module, each as sorted [address inside the module, action]. */
export function changesByModule(changes: readonly PlannedChange[]): Record<string, [string, string][]> {
  const result: Record<string, [string, string][]> = {};
  for (const change of changes) {
    const [, module, address] = /^module\.([^.]+)\.(.+)$/.exec(change.address)!;
    (result[module] ??= []).push([address, change.action]);
  }
  for (const module of Object.keys(result)) result[module].sort();
  return result;
}
