import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PreviewStack } from '../../src/stack/preview-stack';
import { synthesize } from '../../src/synth/synth';
import { runTerraformTests, TftestResult, TFTEST_DIR } from '../../src/terraform/tftest';
import { PROJECT_ROOT } from '../support/paths';
import { asChildModule } from '../../src/terraform/offline';
import { describeWithTerraform, PlanResult, ProviderServer, TerraformWorkdir } from '../support/terraform';

// The examples with three open previews, as `PREVIEW_PULL_REQUESTS=7,12,40 npm run synth` writes them.
const NUMBERS = [7, 12, 40];
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-previews-'));
let previews: PreviewStack[] = [];
const stackDir = (name: string) => path.join(outdir, 'stacks', name);
const json = (name: string) => JSON.parse(fs.readFileSync(path.join(stackDir(name), 'cdk.tf.json'), 'utf8'));

/** What the staging stack's state gives a preview, as a state file its remote state can read offline. */
const STAGING_OUTPUTS: Record<string, unknown> = {
  previews_cluster_arn: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/stg_ecs_cluster',
  previews_listener_arn: 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef',
  previews_vpc_id: 'vpc-0123456789abcdef0',
  previews_subnet_ids: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  previews_security_group_ids: ['sg-0aaaaaaaaaaaaaaaa'],
};
function stagingState(): string {
  const type = (value: unknown) => (Array.isArray(value) ? ['tuple', value.map(() => 'string')] : 'string');
  const outputs = Object.fromEntries(Object.entries(STAGING_OUTPUTS).map(([name, value]) => [name, { value, type: type(value) }]));
  return JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: '00000000-0000-4000-8000-000000000000', outputs, resources: [], check_results: null });
}

beforeAll(() => {
  const result = synthesize({ environmentsDir: path.join(PROJECT_ROOT, 'examples'), outdir, previews: { numbers: NUMBERS }, info: () => {}, warn: () => {} });
  expect(result.exitCode).toBe(0);
  previews = result.previews;
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('PREVIEW_PULL_REQUESTS=7,12,40: the examples’ previews', () => {
  test('stg-pr-7, stg-pr-12 and stg-pr-40 are written next to the staging stacks, each with its preview.json', () => {
    // THEN
    expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['preview', 'stg', 'stg-pr-12', 'stg-pr-40', 'stg-pr-7']);
    expect(JSON.parse(fs.readFileSync(path.join(stackDir('stg-pr-12'), 'preview.json'), 'utf8'))).toMatchObject({ stack: 'stg-pr-12', host: 'pr-12.stg-api.example.com', priorities: [1002] });
  });

  test('their rules take distinct priorities in the band (1000–1009), each with staging’s allowlist', () => {
    // WHEN
    const rules = NUMBERS.map((number) => json(`stg-pr-${number}`).resource.aws_alb_listener_rule.stg_server_rule);
    // THEN
    expect(rules.map((rule) => rule.priority)).toEqual([1007, 1002, 1000]);
    const staging = json('stg').resource.aws_alb_listener_rule.stg_server_rule;
    for (const rule of rules) expect(rule.condition.find((c: any) => c.source_ip)).toEqual(staging.condition.find((c: any) => c.source_ip));
  });

  test('each preview has its own state key in the staging bucket, and reads the staging state', () => {
    // WHEN
    const stack = json('stg-pr-40');
    // THEN
    expect(stack.terraform.backend.s3).toEqual({ bucket: 'example-terraform-state', key: 'previews/stg/pr-40.tfstate', region: 'ap-northeast-1', encrypt: true, use_lockfile: true });
    expect(stack.data.terraform_remote_state.staging.config).toEqual({ bucket: 'example-terraform-state', key: 'staging/stg.tfstate', region: 'ap-northeast-1' });
  });

  test('the staging stack creates the previews’ wildcard record, their project, webhook and reaper once', () => {
    // WHEN
    const resource = json('stg').resource;
    // THEN
    expect(resource.aws_route53_record.previews_wildcard).toMatchObject({ name: '*.stg-api.example.com', type: 'CNAME', records: ['prod-alb-1234567890.ap-northeast-1.elb.amazonaws.com'] });
    const webhook = Object.values(resource.aws_codebuild_webhook).find((w: any) => w.filter_group.length === 2) as any;
    expect(webhook.project_name).toMatch(/^\$\{aws_codebuild_project\.\w+\.name\}$/);
    expect(webhook.filter_group.map((group: any) => group.filter.map((f: any) => `${f.type}=${f.pattern}`))).toEqual([
      ['EVENT=PULL_REQUEST_CREATED, PULL_REQUEST_UPDATED, PULL_REQUEST_REOPENED', 'BASE_REF=^refs/heads/develop$', 'ACTOR_ACCOUNT_ID=^(583231)$'],
      ['EVENT=PULL_REQUEST_MERGED, PULL_REQUEST_CLOSED', 'BASE_REF=^refs/heads/develop$'],
    ]);
    const project = Object.values(resource.aws_codebuild_project).find((p: any) => p.name === 'stg-server-build-previews') as any;
    expect(project.secondary_source_version).toEqual([{ source_identifier: 'infra', source_version: '0123456789abcdef0123456789abcdef01234567' }]);
    expect(Object.values(resource.aws_scheduler_schedule)).toHaveLength(1);
  });
});

describeWithTerraform('the previews, validated and planned offline', () => {
  let validation: ReturnType<TerraformWorkdir['validate']>;
  let plan: PlanResult;
  let tftest: TftestResult;
  beforeAll(() => {
    // One workspace, each preview a module (one init, one validate, one plan), reading the staging
    // state from a local file: as the offline override sets a local backend.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-previews-root-'));
    const modules = Object.fromEntries(NUMBERS.map((number) => [`stg_pr_${number}`, { source: `./stg-pr-${number}` }]));
    fs.writeFileSync(path.join(root, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'aws' } } }, provider: { aws: [{ region: 'ap-northeast-1' }] }, module: modules }));
    const workdir = TerraformWorkdir.fromStack(root, { provider: ProviderServer.shared() });
    fs.rmSync(root, { recursive: true, force: true });
    try {
      workdir.write('staging.tfstate', stagingState());
      for (const number of NUMBERS) {
        const stack = `stg-pr-${number}`;
        workdir.write(path.join(stack, 'cdk.tf.json'), asChildModule('cdk.tf.json', fs.readFileSync(path.join(stackDir(stack), 'cdk.tf.json'), 'utf8')));
        workdir.write(
          path.join(stack, 'zz_staging_state_override.tf.json'),
          JSON.stringify({ data: { terraform_remote_state: { staging: { backend: 'local', config: { path: path.join(workdir.dir, 'staging.tfstate') } } } } }),
        );
      }
      // a real init: it installs the modules
      workdir.run('init', '-input=false', '-no-color');
      validation = workdir.validate();
      plan = workdir.plan();
    } finally {
      workdir.dispose();
    }
    tftest = runTerraformTests(
      Object.fromEntries(
        previews.map((stack) => [stack.node.id, { dir: stack.outputDirectory, variables: { pull_request: String(stack.preview.number), host: stack.preview.host, band_first: '1000', band_last: '1009' } }]),
      ),
      path.join(TFTEST_DIR, 'previews'),
    );
  });

  test('terraform validate accepts every preview', () => {
    // THEN
    expect(validation).toMatchObject({ valid: true });
  });

  test.each(NUMBERS)('PR %i’s plan creates its five resources and nothing else', (number) => {
    // THEN
    const own = plan.changes.filter((change) => change.address.startsWith(`module.stg_pr_${number}.`));
    expect(own.map((change) => `${change.action} ${change.address.slice(`module.stg_pr_${number}.`.length)}`).sort()).toEqual([
      'create aws_alb_listener_rule.stg_server_rule',
      'create aws_cloudwatch_log_group.stg_server',
      'create aws_ecs_service.stg_server',
      'create aws_ecs_task_definition.stg_server',
      'create aws_lb_target_group.stg_server_target',
    ]);
  });

  test('the plan holds nothing but the previews’ own resources', () => {
    // THEN
    expect(plan.summary).toMatchObject({ add: 5 * NUMBERS.length, change: 0, import: 0, remove: 0 });
    expect(plan.changes.every((change) => /^module\.stg_pr_\d+\./.test(change.address))).toBe(true);
  });

  test('the preview suite (tftest/previews) passes for each: band, restriction, only its own resources, names, no exec, staging’s cluster', () => {
    // THEN
    expect(tftest.output).toContain('Success!');
    expect(tftest.runs).toEqual(Object.fromEntries(NUMBERS.map((number) => [`stg-pr-${number}`, { plan: true, apply: true }])));
  });
});
