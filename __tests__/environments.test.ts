import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readEnvironments } from '../src/environment/load';
import { environmentSource } from '../src/environment/sources';
import type { JsonObject } from '../src/review/hcl';
import { synthesize } from '../src/synth/synth';
import { childModuleConfig } from '../src/terraform/offline';
import { runTerraformTests, TftestResult, tftestVariables } from '../src/terraform/tftest';
import { PRODUCTION_SIDE, PROJECT_ROOT } from './support/synth';
import { describeWithTerraform, PlanResult, ProviderServer, TerraformWorkdir } from './support/terraform';

/**
 * The generic checks, run on whatever `npm run synth` builds: the team's environments/*.json, or the
 * examples while there are none. Nothing here names a file, so adding, replacing or deleting
 * environment files keeps this suite meaningful, and a broken file fails it by name.
 */
const SOURCE = environmentSource(PROJECT_ROOT);
const FILES = readEnvironments(SOURCE.dir).files;
const quiet = { info: () => undefined, warn: () => undefined };

describe(`the environment files npm run synth builds (${path.relative(PROJECT_ROOT, SOURCE.dir)}/)`, () => {
  test('there is at least one', () => {
    expect(FILES.map((file) => file.name)).not.toEqual([]);
  });

  test.each(FILES.map((file) => [path.relative(PROJECT_ROOT, file.file), file.name]))('%s: passes every file rule, rule across files and guardrail', (_file, name) => {
    // WHEN this one stack is synthesized (the others are still read, for the rules across files)
    const errors: string[] = [];
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-env-'));
    const result = synthesize({ environmentsDir: SOURCE.dir, outdir, stacks: [name], ...quiet, error: (line) => errors.push(line) });
    // THEN
    expect(errors).toEqual([]);
    expect(result.exitCode).toBe(0);
  });
});

/** A stack that reads nothing from AWS (no data source, no import) can be planned offline. */
const plannable = (config: JsonObject) => !config.data && !config.import;

describeWithTerraform(`terraform on every stack of ${path.relative(PROJECT_ROOT, SOURCE.dir)}/: validate, the tftest invariants, and an offline plan`, () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-env-stacks-'));
  const synth = synthesize({ environmentsDir: SOURCE.dir, outdir, ...quiet, error: () => undefined });
  const stackDir = (name: string) => path.join(outdir, 'stacks', name);
  const stacks: Record<string, JsonObject> = Object.fromEntries(
    synth.stacks.map((stack) => [stack.node.id, JSON.parse(fs.readFileSync(path.join(stackDir(stack.node.id), 'cdk.tf.json'), 'utf8'))]),
  );
  let workdir: TerraformWorkdir;
  let diagnostics: { severity: string; summary: string; detail?: string }[];
  let plan: PlanResult | undefined;
  let tftest: TftestResult;

  beforeAll(() => {
    // Every stack as a child module of one workspace (one provider start, not one per stack), each
    // with the provider of its own region; imports move to the root, the only place they may stand.
    const regions = [...new Set(Object.values(stacks).map((config) => regionOf(config)))];
    const skip = { skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true, skip_region_validation: true };
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-env-workspace-'));
    fs.writeFileSync(
      path.join(root, 'main.tf.json'),
      JSON.stringify({
        terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
        provider: { aws: regions.map((region) => ({ alias: alias(region), region, ...skip })) },
        module: Object.fromEntries(Object.entries(stacks).map(([name, config]) => [name, { source: `./${name}`, providers: { aws: `aws.${alias(regionOf(config))}` } }])),
        import: Object.entries(stacks).flatMap(([name, config]) => ((config.import ?? []) as JsonObject[]).map((item) => ({ ...item, to: `module.${name}.${item.to}` }))),
      }),
    );
    // attached to the shared provider only with one provider block (one configuration per process)
    workdir = TerraformWorkdir.fromStack(root, regions.length === 1 ? { provider: ProviderServer.shared() } : {});
    fs.rmSync(root, { recursive: true, force: true });
    for (const [name, { import: _imports, ...config }] of Object.entries(stacks)) workdir.write(path.join(name, 'cdk.tf.json'), JSON.stringify(childModuleConfig(config)));
    workdir.run('init', '-input=false', '-no-color');
    diagnostics = workdir.validate().diagnostics;
    const offline = Object.keys(stacks).filter((name) => plannable(stacks[name]));
    if (offline.length > 0) plan = workdir.plan('-refresh=false', ...offline.map((name) => `-target=module.${name}`));
    // terraform test runs each stack as a module, where import blocks may not stand: test a copy without them.
    const testDir = (name: string) => {
      const { import: _imports, ...config } = stacks[name];
      const dir = path.join(outdir, 'tftest', name);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(config));
      return dir;
    };
    tftest = runTerraformTests(
      Object.fromEntries(FILES.filter((file) => stacks[file.name]).map((file) => [file.name, { dir: testDir(file.name), variables: tftestVariables(file.config!) }])),
    );
  });
  afterAll(() => {
    workdir?.dispose();
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('every file synthesizes', () => {
    expect(synth.exitCode).toBe(0);
    expect(Object.keys(stacks).sort()).toEqual(FILES.map((file) => file.name).sort());
  });

  test('terraform validate: no error and no warning in any stack', () => {
    expect(diagnostics).toEqual([]);
  });

  test('the tftest invariants hold for every stack, at plan and after an apply', () => {
    for (const name of Object.keys(stacks)) expect([name, tftest.runs[name]]).toEqual([name, { plan: true, apply: true }]);
    expect(tftest.passed).toBe(true);
  });

  test('offline plan of every stack that reads nothing from AWS: only creates, nothing on the production side', () => {
    const offline = Object.keys(stacks).filter((name) => plannable(stacks[name]));
    if (offline.length === 0) {
      // every stack looks production up: validate and tftest above are what can run offline
      expect(plan).toBeUndefined();
      return;
    }
    expect(plan!.changes.length).toBeGreaterThan(0);
    for (const change of plan!.changes) {
      expect([change.address, change.action]).toEqual([change.address, 'create']);
      expect(change.type).not.toMatch(PRODUCTION_SIDE);
    }
    expect(new Set(plan!.changes.map((change) => /^module\.([^.]+)\./.exec(change.address)![1]))).toEqual(new Set(offline));
  });
});

function regionOf(config: JsonObject): string {
  const provider = (config.provider as { aws: { region: string }[] }).aws;
  return provider[0].region;
}

function alias(region: string): string {
  return `r_${region.replace(/-/g, '_')}`;
}
