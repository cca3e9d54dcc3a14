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
  // null and an absent key mean the same to Terraform
  if ((before ?? null) === (after ?? null) || JSON.stringify(before ?? null) === JSON.stringify(after ?? null)) return [];
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

/** `tags.Owner` → `tags`, `health_check[0].path` → `health_check`. */
const topLevel = (path: string) => path.split(/[.[]/)[0];

/**
 * The drifted resources of a refresh-only plan, without the attributes the stack ignores on purpose
 * (those are in `expected`), and the outputs whose value changed with them.
 */
export function driftOf(plan: PlanJson, ignored: IgnoredAttributes = {}): { resources: DriftItem[]; expected: DriftItem[]; outputs: string[] } {
  const resources: DriftItem[] = [];
  const expected: DriftItem[] = [];
  for (const drift of plan.resource_drift ?? []) {
    const change = drift.change ?? {};
    const address = drift.address ?? '?';
    const action = (change.actions ?? []).includes('delete') ? 'delete' : (change.actions ?? ['update']).join('+');
    if (action === 'delete') {
      resources.push({ address, action, attributes: [] });
      continue;
    }
    const all = differences(change.before, change.after, change.before_sensitive, change.after_sensitive);
    // for_each/count instances (`x["a"]`, `x[0]`) share their resource's lifecycle
    const own = ignored[address] ?? ignored[address.replace(/\[[^\]]*\]$/, '')];
    const isIgnored = (path: string) => own === 'all' || (own ?? []).includes(topLevel(path));
    const kept = all.filter((attribute) => !isIgnored(attribute.path));
    const left = all.filter((attribute) => isIgnored(attribute.path));
    if (kept.length > 0) resources.push({ address, action, attributes: kept });
    if (left.length > 0) expected.push({ address, action, attributes: left });
  }
  const outputs = Object.entries(plan.output_changes ?? {})
    .filter(([, change]) => !(change.actions ?? []).every((action) => action === 'no-op'))
    .map(([name]) => name)
    .sort();
  return { resources, expected, outputs };
}

/** Drift counts (exit 2) when a resource changed beyond what the stack ignores; outputs follow resources. */
export function hasDrift(drift: { resources: readonly DriftItem[] }): boolean {
  return drift.resources.length > 0;
}

/** The report: one line per resource, its attributes under it; the ignored changes last, as a note. */
export function formatDrift(stack: string, drift: { resources: readonly DriftItem[]; expected?: readonly DriftItem[]; outputs: readonly string[] }): string[] {
  const expected = (drift.expected ?? []).map(
    (item) => `  ${item.address}: ${item.attributes.map((attribute) => `${attribute.path} ${attribute.before} → ${attribute.after}`).join('; ')}`,
  );
  const note = expected.length > 0 ? ['changed as designed (lifecycle.ignore_changes: deploys, working hours), not drift:', ...expected] : [];
  if (drift.resources.length === 0) return [`${stack}: no drift: every resource in the state is as Terraform left it`, ...note];
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
  return [...lines, ...note];
}
