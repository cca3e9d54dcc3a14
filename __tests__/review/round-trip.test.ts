import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dataSources, stackHcl } from '../../src/review';
import { JsonObject, renderHcl } from '../../src/review/hcl';
import { providerSchemas } from '../../src/review/schema';
import { childModuleConfig } from '../../src/terraform/offline';
import { SHAPES } from '../support/shapes';
import { synthesizeFixtures } from '../support/stacks';
import { describeWithTerraform, ProviderServer, TerraformWorkdir } from '../support/terraform';

/**
 * The oracle is Terraform, not the renderer: every stack is planned twice in one offline workspace, as
 * synthesized (module.<stack>_json) and as rendered (module.<stack>_hcl), and `terraform show -json`
 * of the plan must give both the same resource changes, value for value. A JSON document is compared as
 * data: jsonencode(...) writes the same document with other spacing and key order.
 *
 * Modules inherit the root's provider, which is the shapes' provider rendered as HCL: its default_tags
 * reach every resource's tags_all, checked against the JSON. Stacks with data sources (the lookup
 * fixture) cannot plan offline; `terraform validate` checks their HCL (terraform/validate.test.ts).
 * One `terraform get`, one plan, one show: ~10 s here.
 */
describeWithTerraform('round trip: Terraform plans the JSON and the rendered HCL alike', () => {
  const schemas = providerSchemas();
  let changes: Map<string, ResourceChange>;

  beforeAll(async () => {
    const stacks: Record<string, JsonObject> = {
      ...Object.fromEntries(Object.entries(synthesizeFixtures()).map(([name, dir]) => [name, JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'))])),
      // import blocks read from AWS at plan time, and may only stand in the root module
      shapes: Object.fromEntries(Object.entries(SHAPES).filter(([key]) => key !== 'data' && key !== 'import')),
    };
    const plannable = Object.entries(stacks).filter(([, config]) => dataSources(config).length === 0);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-round-trip-'));
    fs.writeFileSync(path.join(root, 'provider.tf'), renderHcl({ provider: SHAPES.provider }, { schemas }));
    const modules = plannable.flatMap(([name]) => [`${name}_json`, `${name}_hcl`]).concat('stg_altered');
    fs.writeFileSync(path.join(root, 'modules.tf.json'), JSON.stringify({ module: Object.fromEntries(modules.map((name) => [name, { source: `./stacks/${name}` }])) }));
    const workdir = TerraformWorkdir.fromStack(root, { provider: ProviderServer.shared() }).init();
    fs.rmSync(root, { recursive: true, force: true });
    try {
      for (const [name, config] of plannable) {
        const child = childModuleConfig(config);
        workdir.write(path.join('stacks', `${name}_json`, 'cdk.tf.json'), JSON.stringify(child));
        workdir.write(path.join('stacks', `${name}_hcl`, 'main.tf'), stackHcl(name, child, schemas));
      }
      workdir.write(path.join('stacks', 'stg_altered', 'main.tf'), altered(stackHcl('stg', childModuleConfig(stacks.stg), schemas)));
      // the providers are linked by init(); `get` installs the local modules
      await workdir.runAsync('get', '-no-color');
      await workdir.runAsync('plan', '-lock=false', '-input=false', '-no-color', '-out=round-trip.plan');
      const plan = JSON.parse(await workdir.runAsync('show', '-json', '-no-color', 'round-trip.plan')) as { resource_changes: ResourceChange[] };
      changes = new Map(plan.resource_changes.map((change) => [change.address, change]));
    } finally {
      workdir.dispose();
    }
  });

  test('the plan has every stack, as JSON and as HCL', () => {
    // THEN
    const modules = new Set([...changes.keys()].map((address) => address.split('.')[1]));
    expect([...modules].sort()).toEqual(['preview_hcl', 'preview_json', 'shapes_hcl', 'shapes_json', 'stg_altered', 'stg_hcl', 'stg_json']);
  });

  test.each(['stg', 'preview', 'shapes'])('stack %s: the same resources, planned with the same values', (name) => {
    // WHEN
    const differences = planDifferences(changes, `${name}_json`, `${name}_hcl`);
    // THEN
    expect(differences).toEqual([]);
    expect(changesOf(changes, `${name}_json`).length).toBeGreaterThan(5);
  });

  test("the rendered provider's default_tags reach tags_all as the JSON's do", () => {
    // THEN
    const tagsAll = changes.get('module.shapes_json.aws_cloudwatch_log_group.stg_server')?.change.after?.tags_all;
    expect(tagsAll).toEqual({ Environment: 'stg', 'aws:team': 'api', Name: 'stg-server' });
  });

  test('control: a changed value, a lost block and a changed JSON policy are all reported', () => {
    // WHEN
    const differences = planDifferences(changes, 'stg_json', 'stg_altered').join('\n');
    // THEN
    expect(differences).toMatch(/aws_ecs_service\.stg_server: .*desired_count/);
    expect(differences).toMatch(/aws_route53_record\.stg_server: .*weighted_routing_policy/);
    expect(differences).toMatch(/aws_ecr_lifecycle_policy\.[\w-]+: .*policy/);
    expect(differences.split('\n')).toHaveLength(3);
  });
});

/** The stg HCL altered three ways, each of which the comparison must catch. */
function altered(hcl: string): string {
  const result = hcl
    .replace(/(desired_count\s+= )\d+/, (_, prefix) => `${prefix}99`)
    .replace(/\n {2}weighted_routing_policy \{\n[^}]*\}\n/, '\n')
    .replace(/(countNumber\s+= )\d+/, (_, prefix) => `${prefix}999`);
  if (!/desired_count\s+= 99\n/.test(result) || !/countNumber\s+= 999\n/.test(result) || result.includes('weighted_routing_policy')) {
    throw new Error('the stg HCL no longer has what the control alters');
  }
  return result;
}

interface ResourceChange {
  readonly address: string;
  readonly change: { readonly actions: string[]; readonly after?: Record<string, unknown>; readonly after_unknown?: unknown; readonly after_sensitive?: unknown };
}

function changesOf(changes: Map<string, ResourceChange>, module: string): [string, ResourceChange][] {
  const prefix = `module.${module}.`;
  return [...changes].filter(([address]) => address.startsWith(prefix)).map(([address, change]) => [address.slice(prefix.length), change]);
}

/** One line per resource whose planned change differs, naming the arguments that differ. */
function planDifferences(changes: Map<string, ResourceChange>, expectedModule: string, actualModule: string): string[] {
  const expected = new Map(changesOf(changes, expectedModule));
  const actual = new Map(changesOf(changes, actualModule));
  return [...new Set([...expected.keys(), ...actual.keys()])].sort().flatMap((address) => {
    const [want, got] = [expected.get(address), actual.get(address)];
    if (!want || !got) return [`${address}: only in ${want ? expectedModule : actualModule}`];
    const parts = { actions: [want.change.actions, got.change.actions], after_unknown: [want.change.after_unknown, got.change.after_unknown], after_sensitive: [want.change.after_sensitive, got.change.after_sensitive] };
    const after = [...new Set([...Object.keys(want.change.after ?? {}), ...Object.keys(got.change.after ?? {})])].map((key) => [key, [want.change.after?.[key], got.change.after?.[key]]] as const);
    const differing = [...Object.entries(parts), ...after].filter(([, [a, b]]) => canonical(a) !== canonical(b)).map(([key]) => key);
    return differing.length > 0 ? [`${address}: ${differing.join(', ')}`] : [];
  });
}

/** A value as text, object keys sorted; a string holding a JSON object or array is compared as that JSON. */
function canonical(value: unknown): string {
  const normalize = (item: unknown): unknown => {
    if (typeof item === 'string' && /^\s*[[{]/.test(item)) {
      try {
        return { json: normalize(JSON.parse(item)) };
      } catch {
        return item;
      }
    }
    if (Array.isArray(item)) return item.map(normalize);
    if (item && typeof item === 'object') return Object.fromEntries(Object.keys(item).sort().map((key) => [key, normalize((item as Record<string, unknown>)[key])]));
    return item;
  };
  return JSON.stringify(normalize(value) ?? null);
}
