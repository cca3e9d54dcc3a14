import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProviderServer, TERRAFORM, terraformAvailable, TerraformWorkdir, withoutDir } from '../terraform/offline';
import { diagramMarkdown, mermaidFlowchart } from './diagram';
import { JsonObject, renderHcl } from './hcl';
import { providerSchemas, SchemaSource } from './schema';

/**
 * `npm run review`: for each synthesized stack, `cdktf.out/review/<stack>/` gets `main.tf` (the JSON as
 * HCL), `plan.txt` (the offline plan, or why there is none) and `diagram.md` (a Mermaid flowchart).
 */

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

/**
 * The provider schemas of the review (`terraform providers schema -json`, cached). Kept under this name,
 * which callers outside the review use; the schemas no longer come from @cdktf/provider-aws's code.
 */
export const providerAwsSchemas = providerSchemas;

/**
 * `main.tf` of a stack, with a header naming its source (and saying so when no provider schema was read),
 * and what the environment file consents to (`consentLines`), so a reader of the HCL sees the same
 * exceptions synth warned of.
 */
export function stackHcl(stack: string, config: JsonObject, schemas: SchemaSource = providerSchemas(), consents: readonly string[] = []): string {
  const noSchema = schemas.providers.length === 0
    ? ['No provider schema (Terraform not found): objects are blocks, except well-known maps such as tags.']
    : [];
  return renderHcl(config, {
    schemas,
    header: [
      `Stack "${stack}", rendered from cdktf.out/stacks/${stack}/cdk.tf.json by \`npm run review\`.`,
      // consents before anything else: one may be that staging writes production data
      ...(consents.length > 0 ? ['The environment file consents to (synth warns of each on every run):', ...consents.map((line) => `- ${line}`), ''] : []),
      'For reading only: Terraform runs the JSON. Regenerated on every run; do not edit.',
      ...noSchema,
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
        `Plan with credentials instead: \`npm run plan -- ${stack}\` (synthesizes this stack alone, then plans it against your AWS account).\n` +
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
  /** @default - providerSchemas() */
  readonly schemas?: SchemaSource;
  /**
   * Each stack's consents, one line each (`consentLines(consentOf(config))`), for the header of its `main.tf`.
   * @default - none
   */
  readonly consents?: Readonly<Record<string, readonly string[]>>;
}

/** All three review files of one synthesized stack directory. */
export function reviewStack(stack: string, stackDir: string, options: ReviewOptions = {}): { files: ReviewFiles; ok: boolean } {
  const config = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as JsonObject;
  const plan = offlinePlan(stack, stackDir, config, options);
  return {
    ok: plan.ok,
    files: {
      'main.tf': stackHcl(stack, config, options.schemas, options.consents?.[stack]),
      'plan.txt': plan.text,
      'diagram.md': diagramMarkdown(stack, config),
    },
  };
}

/** Reviews several stacks, sharing one `terraform init` between their plans. */
export function reviewStacks(stacks: Readonly<Record<string, string>>, options: ReviewOptions = {}): Record<string, { files: ReviewFiles; ok: boolean }> {
  const keep: TerraformWorkdir[] = [];
  const schemas = options.schemas ?? providerSchemas();
  try {
    return Object.fromEntries(Object.entries(stacks).map(([stack, dir]) => [stack, reviewStack(stack, dir, { ...options, schemas, keep })]));
  } finally {
    for (const workdir of keep) workdir.dispose();
  }
}

// ---------------------------------------------------------------------------------------------
// The committed diagram (docs/review.md)

/** The markers around a stack's committed diagram in a Markdown page. */
function diagramMarkers(stack: string): { start: string; end: string } {
  return { start: `<!-- diagram:${stack}:start -->`, end: `<!-- diagram:${stack}:end -->` };
}

/** The text that belongs between the markers: a fenced Mermaid flowchart. */
export function committedDiagram(config: JsonObject): string {
  return `\`\`\`mermaid\n${mermaidFlowchart(config)}\`\`\``;
}

/** What a page has between a stack's markers, or undefined without markers. */
export function diagramBlock(page: string, stack: string): string | undefined {
  const { start, end } = diagramMarkers(stack);
  const from = page.indexOf(start);
  const to = page.indexOf(end, from);
  if (from < 0 || to < 0) return undefined;
  return page.slice(from + start.length, to).trim();
}

/** The page with the stack's block replaced; throws without markers. */
export function withDiagram(page: string, stack: string, config: JsonObject): string {
  const { start, end } = diagramMarkers(stack);
  const from = page.indexOf(start);
  const to = page.indexOf(end, from);
  if (from < 0 || to < 0) throw new Error(`the page has no ${start} … ${end} markers`);
  return `${page.slice(0, from + start.length)}\n${committedDiagram(config)}\n${page.slice(to)}`;
}
