import { spawnSync } from 'node:child_process';
import { TERRAFORM, terraformAvailable } from '../terraform/offline';

/**
 * Formatting is the real formatter's: `terraform fmt -` (the Terraform that plans the stacks, so the
 * review's main.tf is `terraform fmt -check` clean by construction; ~0.1 s a file). Without Terraform,
 * @cdktf/hcl-tools, hclwrite's formatter compiled to WebAssembly, gives the same layout for what the
 * renderer writes. It only answers asynchronously, and the renderer is synchronous, so it runs in a child
 * Node process (~1-2 s a file, mostly loading the WebAssembly): acceptable on a path CI never takes.
 */

export type Formatter = 'terraform fmt' | '@cdktf/hcl-tools';

export interface FormatOptions {
  /** @default - `terraform fmt` when Terraform runs, else @cdktf/hcl-tools */
  readonly formatter?: Formatter;
}

/** `hcl` as `terraform fmt` writes it. Throws when the formatter rejects it (the renderer wrote invalid HCL). */
export function formatHcl(hcl: string, options: FormatOptions = {}): string {
  const formatter = options.formatter ?? (terraformAvailable() ? 'terraform fmt' : '@cdktf/hcl-tools');
  const [command, args] =
    formatter === 'terraform fmt'
      ? [TERRAFORM, ['fmt', '-no-color', '-']]
      : [process.execPath, ['-e', HCL_TOOLS_FORMAT, require.resolve('@cdktf/hcl-tools')]];
  const result = spawnSync(command, args, { input: hcl, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${formatter} failed:\n${result.error ?? ''}${result.stderr}\nin:\n${hcl}`);
  return result.stdout;
}

/** Standard input, formatted, to standard output; the module's path is the argument. */
const HCL_TOOLS_FORMAT = `
const { format } = require(process.argv[1]);
const input = require('node:fs').readFileSync(0, 'utf8');
format(input).then(
  (output) => process.stdout.write(output, () => process.exit(0)),
  (error) => { process.stderr.write(String(error)); process.exit(1); },
);`;
