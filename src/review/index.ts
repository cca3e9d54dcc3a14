import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProviderServer, TERRAFORM, terraformAvailable, TerraformWorkdir, withoutDir } from '../terraform/offline';
import { diagramMarkdown, mermaidFlowchart } from './diagram';
import { ArgumentSchema, BlockSchema, JsonObject, renderHcl, SchemaSource } from './hcl';

/**
 * `npm run review`: for each synthesized stack, `cdktf.out/review/<stack>/` gets `main.tf` (the JSON as
 * HCL), `plan.txt` (the offline plan, or why there is none) and `diagram.md` (a Mermaid flowchart).
 */

// ---------------------------------------------------------------------------------------------
// Block schemas from @cdktf/provider-aws

/**
 * Block schemas read from @cdktf/provider-aws's generated code: each `...ToHclTerraform` function and each
 * `synthesizeHclAttributes()` lists its arguments with `isBlock`, and names the function of a nested block.
 * Reading the text is cheap (no module load) and needs no `terraform providers schema` run.
 */
export function providerAwsSchemas(libDir = defaultProviderAwsLib()): SchemaSource {
  const files = new Map<string, GeneratedFile | undefined>();
  const load = (dir: string, tfType: string): BlockSchema | undefined => {
    if (!files.has(dir)) files.set(dir, readGenerated(path.join(libDir, dir, 'index.js')));
    const file = files.get(dir);
    return file && file.tfType === tfType ? file.schema(ROOT) : undefined;
  };
  return {
    resource: (type) => (type.startsWith('aws_') ? load(type.slice(4).replace(/_/g, '-'), type) : undefined),
    data: (type) => (type.startsWith('aws_') ? load(`data-${type.replace(/_/g, '-')}`, type) : undefined),
    provider: (name) => (name === 'aws' ? load('provider', 'aws') : undefined),
  };
}

function defaultProviderAwsLib(): string {
  return path.join(path.dirname(require.resolve('@cdktf/provider-aws/package.json')), 'lib');
}

const ROOT = '';

interface GeneratedFile {
  readonly tfType: string;
  /** The schema of the resource class (`ROOT`) or of a nested block's `...ToHclTerraform` function. */
  schema(functionName: string): BlockSchema | undefined;
}

interface GeneratedArgument {
  readonly block: boolean;
  readonly nested?: string;
}

function readGenerated(file: string): GeneratedFile | undefined {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const tfType = /\.tfResourceType = "([^"]+)"/.exec(source)?.[1];
  if (!tfType) return undefined;
  const bodies = generatedBodies(source);
  const schemas = new Map<string, BlockSchema | undefined>();
  const schema = (name: string): BlockSchema | undefined => {
    if (!schemas.has(name)) {
      const body = bodies.get(name);
      const args = body === undefined ? undefined : generatedArguments(body);
      schemas.set(
        name,
        args && {
          argument(argumentName: string): ArgumentSchema | undefined {
            const found = args.get(argumentName);
            if (!found) return undefined;
            const nested = found.nested;
            return { block: found.block, get body() { return nested ? schema(nested) : undefined; } };
          },
        },
      );
    }
    return schemas.get(name);
  };
  return { tfType, schema };
}

/** The `const attrs = {...}` text of every `...ToHclTerraform` function, and of the class (`ROOT`). */
function generatedBodies(source: string): Map<string, string> {
  const bodies = new Map<string, string>();
  const starts = [...source.matchAll(/^function (\w+)ToHclTerraform\(struct\) \{$/gm)].map((match) => ({ name: match[1], index: match.index ?? 0 }));
  const root = /^ {4}synthesizeHclAttributes\(\) \{$/m.exec(source);
  if (root) starts.push({ name: ROOT, index: root.index });
  for (const { name, index } of starts) {
    const end = source.indexOf('// remove undefined attributes', index);
    if (end > index) bodies.set(name, source.slice(index, end));
  }
  return bodies;
}

function generatedArguments(body: string): Map<string, GeneratedArgument> {
  const args = new Map<string, GeneratedArgument>();
  for (const match of body.matchAll(/^\s+"?([\w-]+)"?: \{\n\s+value: (.*),\n\s+isBlock: (true|false),/gm)) {
    const nested = /(?<!cdktf\.)\b([a-z]\w*?)ToHclTerraform\b/.exec(match[2])?.[1];
    args.set(match[1], { block: match[3] === 'true', nested });
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// One stack

export interface ReviewFiles {
  readonly 'main.tf': string;
  readonly 'plan.txt': string;
  readonly 'diagram.md': string;
}

export interface PlanOptions {
  /** Is Terraform installed? @default - runs `terraform version` */
  readonly terraformAvailable?: () => boolean;
  /**
   * Where to put used workdirs instead of deleting them, so later plans of this process reuse the first
   * one's `terraform init`; the caller disposes them. @default - each workdir is deleted after its plan
   */
  readonly keep?: TerraformWorkdir[];
}

/** Addresses of the data sources of a stack: lookups that need AWS credentials at plan time. */
export function dataSources(config: JsonObject): string[] {
  const data = (config.data ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(data).flatMap(([type, byName]) => Object.keys(byName).map((name) => `data.${type}.${name}`));
}

/** `main.tf` of a stack, with a header naming its source. */
export function stackHcl(stack: string, config: JsonObject, schemas: SchemaSource = providerAwsSchemas()): string {
  return renderHcl(config, {
    schemas,
    header: [
      `Stack "${stack}", rendered from cdktf.out/stacks/${stack}/cdk.tf.json by \`npm run review\`.`,
      'For reading only: Terraform runs the JSON. Regenerated on every run; do not edit.',
    ],
  });
}

/**
 * `plan.txt`: the offline plan of a synthesized stack directory, or a note saying why there is none
 * (lookups need credentials; no Terraform). A failing plan is reported in the text, not thrown.
 */
export function offlinePlan(stack: string, stackDir: string, config: JsonObject, options: PlanOptions = {}): { text: string; ok: boolean } {
  const lookups = dataSources(config);
  if (lookups.length > 0) {
    return {
      ok: true,
      text:
        `No offline plan for stack "${stack}": it looks production resources up, and a lookup needs AWS credentials at plan time.\n` +
        `Data sources:\n${lookups.map((address) => `  - ${address}`).join('\n')}\n\n` +
        `Plan with credentials instead: \`terraform plan\` in cdktf.out/stacks/${stack} (or \`npx cdktf diff ${stack}\`).\n` +
        'Offline, `npm test` still runs `terraform validate` on lookup-mode stacks.\n',
    };
  }
  if (!(options.terraformAvailable ?? terraformAvailable)()) {
    return { ok: true, text: `No offline plan for stack "${stack}": \`${TERRAFORM}\` is not installed (set TERRAFORM_BIN to use another binary).\n` };
  }
  // one stack, one provider block: every plan of the run attaches to one provider process
  const workdir = TerraformWorkdir.fromStack(stackDir, { provider: ProviderServer.shared() });
  try {
    workdir.init();
    return { ok: true, text: `# Offline plan of stack "${stack}": terraform plan -lock=false -no-color, no AWS calls.\n\n${workdir.planText().replace(/^\n+/, '')}` };
  } catch (error) {
    return { ok: false, text: `terraform plan failed for stack "${stack}":\n${withoutDir((error as Error).message, workdir.dir)}\n` };
  } finally {
    if (options.keep) options.keep.push(workdir);
    else workdir.dispose();
  }
}

export interface ReviewOptions extends PlanOptions {
  /** @default - providerAwsSchemas() */
  readonly schemas?: SchemaSource;
}

/** All three review files of one synthesized stack directory. */
export function reviewStack(stack: string, stackDir: string, options: ReviewOptions = {}): { files: ReviewFiles; ok: boolean } {
  const config = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as JsonObject;
  const plan = offlinePlan(stack, stackDir, config, options);
  return {
    ok: plan.ok,
    files: {
      'main.tf': stackHcl(stack, config, options.schemas),
      'plan.txt': plan.text,
      'diagram.md': diagramMarkdown(stack, config),
    },
  };
}

/** Reviews several stacks, sharing one `terraform init` between their plans. */
export function reviewStacks(stacks: Readonly<Record<string, string>>, options: ReviewOptions = {}): Record<string, { files: ReviewFiles; ok: boolean }> {
  const keep: TerraformWorkdir[] = [];
  const schemas = options.schemas ?? providerAwsSchemas();
  try {
    return Object.fromEntries(Object.entries(stacks).map(([stack, dir]) => [stack, reviewStack(stack, dir, { ...options, schemas, keep })]));
  } finally {
    for (const workdir of keep) workdir.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// README

/** The README block of a stack's diagram: a fenced Mermaid flowchart between the stack's markers. */
function readmeMarkers(stack: string): { start: string; end: string } {
  return { start: `<!-- diagram:${stack}:start -->`, end: `<!-- diagram:${stack}:end -->` };
}

/** The text that belongs between the markers. */
export function readmeDiagram(config: JsonObject): string {
  return `\`\`\`mermaid\n${mermaidFlowchart(config)}\`\`\``;
}

/** What the README has between a stack's markers, or undefined without markers. */
export function readmeBlock(readme: string, stack: string): string | undefined {
  const { start, end } = readmeMarkers(stack);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end, from);
  if (from < 0 || to < 0) return undefined;
  return readme.slice(from + start.length, to).trim();
}

/** The README with the stack's block replaced; throws without markers. */
export function withReadmeDiagram(readme: string, stack: string, config: JsonObject): string {
  const { start, end } = readmeMarkers(stack);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`README has no ${start} … ${end} markers`);
  return `${readme.slice(0, from + start.length)}\n${readmeDiagram(config)}\n${readme.slice(to)}`;
}
