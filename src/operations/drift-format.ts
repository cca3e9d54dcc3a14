/**
 * `npm run drift`'s words, pure: what a refresh-only plan (`terraform show -json`) found changed outside
 * Terraform, one resource per line with the attributes that differ, before → after.
 */

/** One resource Terraform found changed (or gone) outside Terraform. */
export interface DriftItem {
  readonly address: string;
  /** "update", or "delete" when it is gone. */
  readonly action: string;
  readonly attributes: readonly { readonly path: string; readonly before: string; readonly after: string }[];
}

interface Change {
  readonly actions?: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
  readonly before_sensitive?: unknown;
  readonly after_sensitive?: unknown;
}

/** The plan JSON's parts this reads (terraform show -json, format 1.x). */
export interface PlanJson {
  readonly resource_drift?: readonly { readonly address?: string; readonly change?: Change }[];
  readonly output_changes?: Readonly<Record<string, Change>>;
}

/** Values are shown this long at most: a policy document changed outside Terraform is named, not printed whole. */
export const VALUE_WIDTH = 60;

function shown(value: unknown, sensitive: unknown): string {
  if (sensitive === true) return '(sensitive)';
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > VALUE_WIDTH ? `${text.slice(0, VALUE_WIDTH - 1)}…` : text;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** No value: absent, null, an empty list or an empty map. */
export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (isObject(value) && !Array.isArray(value) && Object.keys(value).length === 0);
}

/** The leaves that differ between two values, as `a.b[0].c` paths (a whole value when its kinds differ). */
export function differences(before: unknown, after: unknown, beforeSensitive?: unknown, afterSensitive?: unknown, at = ''): { path: string; before: string; after: string }[] {
  if (beforeSensitive === true || afterSensitive === true) {
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: at || '(value)', before: shown(before, beforeSensitive), after: shown(after, afterSensitive) }];
  }
  const bothArrays = Array.isArray(before) && Array.isArray(after);
  const bothObjects = isObject(before) && isObject(after) && !Array.isArray(before) && !Array.isArray(after);
  if (bothArrays || bothObjects) {
    const keys = bothArrays
      ? Array.from({ length: Math.max((before as unknown[]).length, (after as unknown[]).length) }, (_, index) => index)
      : [...new Set([...Object.keys(before as object), ...Object.keys(after as object)])].sort();
    return keys.flatMap((key) =>
      differences(
        (before as any)[key],
        (after as any)[key],
        isObject(beforeSensitive) ? (beforeSensitive as any)[key] : undefined,
        isObject(afterSensitive) ? (afterSensitive as any)[key] : undefined,
        typeof key === 'number' ? `${at}[${key}]` : at ? `${at}.${key}` : key,
      ),
    );
  }
  // null, an absent key, {} and [] all read back as "nothing" (a provider's read gives tags {} for null)
  if (isEmpty(before) && isEmpty(after)) return [];
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: at || '(value)', before: shown(before, beforeSensitive), after: shown(after, afterSensitive) }];
}

/** Address → the attributes its `lifecycle.ignore_changes` leaves to something else (or "all"). */
export type IgnoredAttributes = Readonly<Record<string, readonly string[] | 'all'>>;

/**
 * What the stack itself hands to something else (a synthesized `cdk.tf.json`'s `lifecycle.ignore_changes`):
 * the service's task definition (the deploys), its desired count (the working hours), a scalable target's
 * capacities. Their changes are the design, not drift.
 */
export function ignoredAttributes(stack: { resource?: Record<string, Record<string, { lifecycle?: { ignore_changes?: unknown } }>> }): IgnoredAttributes {
  const ignored: Record<string, readonly string[] | 'all'> = {};
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      const value = config.lifecycle?.ignore_changes;
      if (value === 'all') ignored[`${type}.${name}`] = 'all';
      else if (Array.isArray(value) && value.length > 0) ignored[`${type}.${name}`] = value.map(String);
    }
  }
  return ignored;
}

/** Address → the attributes its configuration sets (meta-arguments left out). */
export type ConfiguredAttributes = Readonly<Record<string, ReadonlySet<string>>>;

const META_ARGUMENTS = new Set(['//', 'lifecycle', 'depends_on', 'provider', 'count', 'for_each', 'provisioner', 'connection']);

/** What each resource of a synthesized `cdk.tf.json` sets. */
export function configuredAttributes(stack: { resource?: Record<string, Record<string, Record<string, unknown>>> }): ConfiguredAttributes {
  const configured: Record<string, Set<string>> = {};
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) configured[`${type}.${name}`] = new Set(Object.keys(config).filter((key) => !META_ARGUMENTS.has(key)));
  }
  return configured;
}

/** `tags.Owner` → `tags`, `health_check[0].path` → `health_check`. */
const topLevel = (path: string) => path.split(/[.[]/)[0];

/** What a refresh-only plan found, sorted: drift, and two kinds of change that are not. */
export interface Drift {
  /** Changed outside Terraform: an attribute the stack sets, a recorded value changed, or a resource gone. */
  readonly resources: DriftItem[];
  /** Changes the stack leaves to others (`lifecycle.ignore_changes`). */
  readonly expected: DriftItem[];
  /**
   * Attributes the stack does not set, empty in the state and read back with a value: filled in by the
   * resources around them since the last apply (a role's inline_policy from its aws_iam_role_policy, a
   * target group's load_balancer_arns from the listener rule, a security group's rules from its rule
   * resources). The next apply, or `terraform apply -refresh-only`, records them.
   */
  readonly filledIn: DriftItem[];
  readonly outputs: string[];
}

/**
 * The drifted resources of a refresh-only plan, sorted (Drift): `ignored` from the stack's lifecycle,
 * `configured` from its configuration. Without `configured`, every attribute counts as set.
 */
export function driftOf(plan: PlanJson, ignored: IgnoredAttributes = {}, configured?: ConfiguredAttributes): Drift {
  const resources: DriftItem[] = [];
  const expected: DriftItem[] = [];
  const filledIn: DriftItem[] = [];
  for (const drift of plan.resource_drift ?? []) {
    const change = drift.change ?? {};
    const address = drift.address ?? '?';
    const action = (change.actions ?? []).includes('delete') ? 'delete' : (change.actions ?? ['update']).join('+');
    if (action === 'delete') {
      resources.push({ address, action, attributes: [] });
      continue;
    }
    // for_each/count instances (`x["a"]`, `x[0]`) share their resource's lifecycle and configuration
    const resource = ignored[address] !== undefined || configured?.[address] !== undefined ? address : address.replace(/\[[^\]]*\]$/, '');
    const own = ignored[resource];
    const sets = configured?.[resource];
    const before = isObject(change.before) ? change.before : {};
    const sorted = { kept: [] as DriftItem['attributes'][number][], ignored: [] as DriftItem['attributes'][number][], filled: [] as DriftItem['attributes'][number][] };
    for (const attribute of differences(change.before, change.after, change.before_sensitive, change.after_sensitive)) {
      const top = topLevel(attribute.path);
      if (own === 'all' || (own ?? []).includes(top)) sorted.ignored.push(attribute);
      else if (sets !== undefined && !sets.has(top) && isEmpty(before[top])) sorted.filled.push(attribute);
      else sorted.kept.push(attribute);
    }
    if (sorted.kept.length > 0) resources.push({ address, action, attributes: sorted.kept });
    if (sorted.ignored.length > 0) expected.push({ address, action, attributes: sorted.ignored });
    if (sorted.filled.length > 0) filledIn.push({ address, action, attributes: sorted.filled });
  }
  const outputs = Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => !(change.actions ?? []).every((action) => action === 'no-op'))
    .map(([name]) => name)
    .sort();
  return { resources, expected, filledIn, outputs };
}

/** Drift counts (exit 2) when a resource changed beyond what the stack ignores; outputs follow resources. */
export function hasDrift(drift: { resources: readonly DriftItem[] }): boolean {
  return drift.resources.length > 0;
}

/** The report: one line per resource, its attributes under it; what is not drift last, as notes. */
export function formatDrift(stack: string, drift: Pick<Drift, 'resources' | 'outputs'> & Partial<Drift>): string[] {
  const expected = (drift.expected ?? []).map(
    (item) => `  ${item.address}: ${item.attributes.map((attribute) => `${attribute.path} ${attribute.before} → ${attribute.after}`).join('; ')}`,
  );
  const filled = (drift.filledIn ?? []).map((item) => `  ${item.address}: ${[...new Set(item.attributes.map((attribute) => topLevel(attribute.path)))].join(', ')}`);
  const notes = [
    ...(expected.length > 0 ? ['changed as designed (lifecycle.ignore_changes: deploys, working hours), not drift:', ...expected] : []),
    ...(filled.length > 0 ? ['read back with values the stack does not set, filled in since the last apply (the next apply records them), not drift:', ...filled] : []),
  ];
  if (drift.resources.length === 0) return [`${stack}: no drift: every resource in the state is as Terraform left it`, ...notes];
  const lines = [`${stack}: ${drift.resources.length} resource(s) changed outside Terraform (the next apply puts them back as the stack says, unless the stack is changed to match):`];
  for (const item of drift.resources) {
    if (item.action === 'delete') {
      lines.push(`  ${item.address}: deleted outside Terraform (the next apply creates it again)`);
      continue;
    }
    lines.push(`  ${item.address}: ${item.attributes.length} attribute(s)`);
    for (const attribute of item.attributes) lines.push(`    ${attribute.path}: ${attribute.before} → ${attribute.after}`);
  }
  if (drift.outputs.length > 0) lines.push(`  outputs changed with them: ${drift.outputs.join(', ')}`);
  return [...lines, ...notes];
}
