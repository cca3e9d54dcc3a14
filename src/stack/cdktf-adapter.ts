import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformOutput, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * The one place this project leans on how cdktf 0.21 works inside, beyond its documented API (so that
 * a move to CDK Terrain is a change here). Everything else imports `cdktf` and `constructs` only.
 */

/**
 * Runs an Aspect over a stack now, as `app.synth()` will (Aspects are public; cdktf's own
 * `invokeAspects` is not): synth checks every stack before it writes any. Visiting again at
 * `app.synth()` must be harmless, as it is for `Guardrails`.
 */
export function visitAll(stack: TerraformStack, aspect: { visit(node: IConstruct): void }): void {
  for (const node of stack.node.findAll()) aspect.visit(node);
}

/**
 * Builds constructs without capturing a stack trace per token. cdktf 0.21 records a full trace in
 * every token it makes (tokens/private/intrinsic.js and lazy.js call `Error.captureStackTrace`), only
 * to say where a token came from when it fails to resolve; at 100 environments that was a third of
 * synth. Our stacks' tokens always resolve, and `CDKTF_DEBUG=1` keeps the traces for us.
 */
export function withoutTokenStackTraces<T>(build: () => T): T {
  if (process.env.CDKTF_DEBUG === '1') return build();
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = () => undefined;
  try {
    return build();
  } finally {
    Error.captureStackTrace = capture;
  }
}

/** The resolver cdktf's own stack rendering uses (cdktf/lib/_tokens.js). */
const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * A stack's Terraform JSON as cdktf 0.21's `TerraformStack.toTerraform()` makes it, less most of one pass.
 * cdktf resolves each element's fragment, merges the fragments and the stack's own overrides
 * (`addOverride`: the S3 backend's `use_lockfile`), then resolves the merged whole again, though only the
 * blocks the overrides touch can still hold a token. Here only those blocks are resolved again: 11% of
 * synth's time per environment at 100 environments (measured). `__tests__/cdktf-adapter.test.ts` checks
 * the result is cdktf's own, key for key.
 */
export function renderStack(stack: TerraformStack): any {
  const resolve = (value: unknown) => Tokenization.resolve(value, { scope: stack, preparing: false, resolver: RESOLVER });
  // private in cdktf's types, read as its toTerraform reads them
  const { rawOverrides, cdktfVersion } = stack as unknown as { rawOverrides: Record<string, unknown>; cdktfVersion: string };
  const metadata: Record<string, unknown> = {
    version: cdktfVersion,
    stackName: stack.node.id,
    backend: 'local',
    cloud: undefined,
    ...(Object.keys(rawOverrides).length > 0 ? { overrides: { stack: Object.keys(rawOverrides) } } : {}),
  };
  const elements = terraformElements(stack);
  for (const element of elements) deepMerge(metadata, resolve(element.toMetadata()));
  const outputs: Record<string, unknown> = {};
  for (const element of elements) {
    if (!TerraformOutput.isTerraformOutput(element)) continue;
    const nested = element.node.path.split('/').reduceRight<Record<string, unknown>>((inner, part) => ({ [part]: Object.keys(inner).length === 0 ? element.friendlyUniqueId : inner }), {});
    deepMerge(outputs, nested);
  }
  const rendered: Record<string, any> = { '//': { metadata, outputs } };
  for (const element of elements) deepMerge(rendered, resolve(element.toTerraform()));
  // the overrides as cdktf merges them (a token replaces a block, undefined deletes), then cdktf's last
  // pass over what can still hold a token: the blocks they touch, and the stack's own metadata
  deepMerge(rendered, rawOverrides);
  for (const block of new Set(['//', ...Object.keys(rawOverrides)])) if (block in rendered) rendered[block] = resolve(rendered[block]);
  return rendered;
}

/** The stack's Terraform elements, in construct order, not those of a stack nested in it (cdktf's own walk). */
function terraformElements(scope: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(scope)) into.push(scope);
  for (const child of scope.node.children) if (!TerraformStack.isStack(child)) terraformElements(child, into);
  return into;
}

/** cdktf's merge of fragments (cdktf/lib/util.js): objects merge, arrays concatenate, undefined deletes. */
function deepMerge(target: Record<string, any>, source: Record<string, any>): void {
  for (const [key, value] of Object.entries(source)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      if (typeof target[key] !== 'object') target[key] = {};
      if (Tokenization.isResolvable(value)) target[key] = value;
      else deepMerge(target[key], value);
    } else if (Array.isArray(value)) {
      target[key] = Array.isArray(target[key]) ? [...target[key], ...value] : value;
    } else if (value === undefined) {
      delete target[key];
    } else {
      target[key] = value;
    }
  }
}
