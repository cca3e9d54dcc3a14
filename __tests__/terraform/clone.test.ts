import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { providerAwsSchemas, stackHcl } from '../../src/review';
import { synthesize } from '../../src/synth/synth';
import { asChildModule, childModuleConfig } from '../../src/terraform/offline';
import { runTerraformTests, TftestResult, TFTEST_DIR } from '../../src/terraform/tftest';
import { setPath } from '../support/environments';
import { PROJECT_ROOT } from '../support/paths';
import { describeWithTerraform, PlanResult, ProviderServer, TerraformWorkdir } from '../support/terraform';

/**
 * The clone stacks (issue 27) through the real Terraform, offline: the stg example with `access:
 * "clone"`, a mask file and working hours, and its previews' clones for pull requests 7 and 12.
 * - `terraform validate` of the staging stack (as synthesized, and as `npm run review` renders it) and of both previews;
 * - the previews' offline `terraform plan`: a preview reads nothing but staging's state (a local file here);
 * - the staging stack looks its production cluster up (`data.aws_rds_cluster.production`), which no
 *   offline plan can answer, so its plan and apply run under `terraform test` with the provider mocked
 *   and the lookup answered as the cluster (`runTerraformTests`' override_data), as the team runs do.
 */

const NUMBERS = [7, 12];
const HOURS = { timezone: 'Asia/Tokyo', wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)' };
const KMS_KEY = 'arn:aws:kms:ap-northeast-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab';

/** The stg example with a masked clone, working hours, and a clone per preview. */
function cloneExample(): Record<string, any> {
  const config = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'stg.json'), 'utf8'));
  setPath(config, 'taskDefinition.container.secrets', undefined);
  setPath(config, 'service.database', { engine: 'aurora-postgresql', clusterIdentifier: 'prod-db', databaseName: 'app', access: 'clone', clone: { mask: 'db/mask.sql' } });
  setPath(config, 'service.schedule', HOURS);
  return config;
}

/** What the staging stack's state gives a preview of a clone environment, as its outputs. */
const STAGING_OUTPUTS: Record<string, unknown> = {
  previews_cluster_arn: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/stg_ecs_cluster',
  previews_listener_arn: 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef',
  previews_vpc_id: 'vpc-0123456789abcdef0',
  previews_subnet_ids: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  previews_security_group_ids: ['sg-0aaaaaaaaaaaaaaaa'],
  previews_execution_role_arn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
  previews_task_role_arn: 'arn:aws:iam::123456789012:role/stg-server-task',
  previews_clone_source: 'prod-db',
  previews_clone_port: '5432',
  previews_clone_storage_encrypted: true,
  previews_clone_kms_key_id: KMS_KEY,
  previews_clone_master_username: 'postgres',
  previews_clone_mask_security_group_id: 'sg-0bbbbbbbbbbbbbbbb',
  previews_clone_scheduler_role_arn: 'arn:aws:iam::123456789012:role/prod-db-stg-previews-scheduler',
  previews_clone_mask_role_arn: 'arn:aws:iam::123456789012:role/prod-db-stg-previews-mask',
  previews_clone_mask_start_role_arn: 'arn:aws:iam::123456789012:role/prod-db-stg-previews-mask-start',
};
function stagingState(): string {
  const type = (value: unknown) => (Array.isArray(value) ? ['tuple', value.map(() => 'string')] : typeof value === 'boolean' ? 'bool' : 'string');
  const outputs = Object.fromEntries(Object.entries(STAGING_OUTPUTS).map(([name, value]) => [name, { value, type: type(value) }]));
  return JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: '00000000-0000-4000-8000-000000000000', outputs, resources: [], check_results: null });
}

describeWithTerraform('the clone stacks, validated and planned offline', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-clone-'));
  const environmentsDir = path.join(outdir, 'environments');
  const stackDir = (name: string) => path.join(outdir, 'cdktf.out', 'stacks', name);
  let validation: ReturnType<TerraformWorkdir['validate']>;
  let plan: PlanResult;
  let staging: TftestResult;
  let previewSuite: TftestResult;

  beforeAll(() => {
    fs.mkdirSync(environmentsDir);
    fs.writeFileSync(path.join(environmentsDir, 'stg.json'), JSON.stringify(cloneExample(), null, 2));
    const result = synthesize({ environmentsDir, outdir: path.join(outdir, 'cdktf.out'), previews: { numbers: NUMBERS }, info: () => undefined, warn: () => undefined });
    expect(result.exitCode).toBe(0);
    const stg = JSON.parse(fs.readFileSync(path.join(stackDir('stg'), 'cdk.tf.json'), 'utf8'));

    // One workspace: staging as JSON and as review HCL, each preview as a module reading the staging state from a file.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-clone-root-'));
    const modules = { stg_json: { source: './stg_json' }, stg_hcl: { source: './stg_hcl' }, ...Object.fromEntries(NUMBERS.map((n) => [`stg_pr_${n}`, { source: `./stg-pr-${n}` }])) };
    fs.writeFileSync(path.join(root, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'aws' } } }, provider: { aws: [{ region: 'ap-northeast-1' }] }, module: modules }));
    const workdir = TerraformWorkdir.fromStack(root, { provider: ProviderServer.shared() });
    fs.rmSync(root, { recursive: true, force: true });
    try {
      workdir.write('stg_json/cdk.tf.json', JSON.stringify(childModuleConfig(stg)));
      workdir.write('stg_hcl/main.tf', stackHcl('stg', childModuleConfig(stg), providerAwsSchemas()));
      workdir.write('staging.tfstate', stagingState());
      for (const number of NUMBERS) {
        const stack = `stg-pr-${number}`;
        workdir.write(path.join(stack, 'cdk.tf.json'), asChildModule('cdk.tf.json', fs.readFileSync(path.join(stackDir(stack), 'cdk.tf.json'), 'utf8')));
        workdir.write(path.join(stack, 'zz_staging_state_override.tf.json'), JSON.stringify({ data: { terraform_remote_state: { staging: { backend: 'local', config: { path: path.join(workdir.dir, 'staging.tfstate') } } } } }));
      }
      workdir.run('init', '-input=false', '-no-color');
      validation = workdir.validate();
      // the staging modules look production up: only the previews are planned for real
      plan = workdir.plan(...NUMBERS.map((n) => `-target=module.stg_pr_${n}`));
    } finally {
      workdir.dispose();
    }

    // staging's plan and apply, with the lookup answered as the encrypted cluster prod-db
    // control: the same stack with its clone under production's identifier must fail the plan run
    const bad = path.join(outdir, 'bad');
    fs.mkdirSync(bad);
    const wrong = structuredClone(stg);
    wrong.resource.aws_rds_cluster.database_clone.cluster_identifier = 'prod-db';
    fs.writeFileSync(path.join(bad, 'cdk.tf.json'), JSON.stringify(wrong));
    const lookup = { 'data.aws_rds_cluster.production': { storage_encrypted: true, kms_key_id: KMS_KEY, port: 5432 } };
    staging = runTerraformTests({ stg: { dir: stackDir('stg'), overrideData: lookup }, stg_prod: { dir: bad, overrideData: lookup, runs: ['plan'] } });
    const outputs = { 'data.terraform_remote_state.staging': { outputs: STAGING_OUTPUTS } };
    previewSuite = runTerraformTests(
      Object.fromEntries(NUMBERS.map((n) => [`stg-pr-${n}`, { dir: stackDir(`stg-pr-${n}`), variables: { pull_request: String(n), host: `pr-${n}.stg-api.example.com`, band_first: '1000', band_last: '1009' }, overrideData: outputs }])),
      path.join(TFTEST_DIR, 'previews'),
    );
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('terraform validate accepts the staging clone stack (as synthesized and as rendered for review) and both previews: no error, no warning', () => {
    expect(validation.diagnostics).toEqual([]);
    expect(validation).toMatchObject({ valid: true });
  });

  test.each(NUMBERS)('PR %i\'s offline plan creates its own clone (cluster, instance, subnet group, group, its rules, its schedules) and its masking job (project, logs, the rule that starts it) beside the preview, nothing else', (number) => {
    // THEN
    const own = plan.changes.filter((change) => change.address.startsWith(`module.stg_pr_${number}.`)).map((change) => `${change.action} ${change.address.slice(`module.stg_pr_${number}.`.length)}`);
    expect(own.sort()).toEqual([
      'create aws_alb_listener_rule.stg_server_rule',
      'create aws_appautoscaling_scheduled_action.stg_server_sleep',
      'create aws_appautoscaling_scheduled_action.stg_server_wake',
      'create aws_appautoscaling_target.stg_server',
      'create aws_cloudwatch_event_rule.database_clone_mask_start',
      'create aws_cloudwatch_event_target.database_clone_mask_start',
      'create aws_cloudwatch_log_group.database_clone_mask',
      'create aws_cloudwatch_log_group.stg_server',
      'create aws_codebuild_project.database_clone_mask',
      'create aws_db_subnet_group.database_clone',
      'create aws_ecs_service.stg_server',
      'create aws_ecs_task_definition.stg_server',
      'create aws_lb_target_group.stg_server_target',
      'create aws_rds_cluster.database_clone',
      'create aws_rds_cluster_instance.database_clone',
      'create aws_scheduler_schedule.database_clone_start',
      'create aws_scheduler_schedule.database_clone_stop',
      'create aws_security_group.database_clone',
      'create aws_vpc_security_group_egress_rule.database_clone_mask_to_clone',
      'create aws_vpc_security_group_ingress_rule.database_clone_from_mask',
      'create aws_vpc_security_group_ingress_rule.database_clone_from_tasks["sg-0aaaaaaaaaaaaaaaa"]',
    ]);
  });

  test('the previews\' plan changes nothing but their own resources', () => {
    expect(plan.summary).toMatchObject({ add: 21 * NUMBERS.length, change: 0, import: 0, remove: 0 });
  });

  test('the staging suite (tftest/staging.tftest.hcl) passes on the clone stack, plan and apply: one clone of its own, never production\'s cluster', () => {
    expect(staging.runs.stg).toEqual({ plan: true, apply: true });
  });

  test('control: the same stack with its clone under production\'s identifier fails the suite\'s plan run, saying why', () => {
    expect(staging.runs.stg_prod).toEqual({ plan: false });
    expect(staging.output.replace(/\s+/g, ' ')).toContain('A managed cluster must be a copy-on-write clone (restore_type copy-on-write, restore block ignored, no final snapshot) under an identifier other than the production cluster\'s.');
  });

  test('the preview suite passes on each clone preview: its own clone named for the pull request, in its band, behind staging\'s restriction', () => {
    expect(previewSuite.output).toContain('Success!');
    expect(previewSuite.runs).toEqual(Object.fromEntries(NUMBERS.map((n) => [`stg-pr-${n}`, { plan: true, apply: true }])));
  });
});
