import { DefaultTokenResolver, StringConcat, Tokenization } from 'cdktf';
import * as yaml from 'js-yaml';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseJson } from '../src/guardrails/guardrail';
import { synthesize } from '../src/synth/synth';
import { setPath, snapshot, tempProject } from './support/environments';
import { PROJECT_ROOT } from './support/paths';

/**
 * Issue 27's done-when, on the stg example (examples/stg.json) synthesized as `npm run synth` does:
 * `access: "clone"` with a mask file and working hours makes one copy-on-write clone (subnet group,
 * group, instance, managed secret, no final snapshot), points the container at its endpoint and
 * schedules its stop and start; with `previews.database.access: "clone"` and PREVIEW_PULL_REQUESTS=7,12
 * each preview stack has its own clone. Expected values come from the file and the issue.
 */

const EXAMPLE = path.join(PROJECT_ROOT, 'examples', 'stg.json');
const example = (): Record<string, any> => JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
const HOURS = { timezone: 'Asia/Tokyo', wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)' };
const CLONE = { engine: 'aurora-postgresql', clusterIdentifier: 'prod-db', databaseName: 'app', access: 'clone', clone: { mask: 'db/mask.sql' } };
const READ_ONLY = { engine: 'aurora-postgresql', clusterIdentifier: 'prod-db', databaseName: 'app', user: 'staging_reader', iamAuth: true, clone: { mask: 'db/mask.sql' } };
const PRODUCTION = '${data.aws_rds_cluster.production.cluster_identifier}';
const TEAM_EXECUTION_ROLE = example().taskDefinition.executionRoleArn.split('/').pop();

/** The example with these changes at dotted paths, without its own DB_PASSWORD secret (the kit's, from the clone). */
function exampleWith(set: Record<string, unknown>): Record<string, any> {
  const config = example();
  for (const [dotted, value] of Object.entries({ 'taskDefinition.container.secrets': undefined, ...set })) setPath(config, dotted, structuredClone(value));
  return config;
}

/** Synth of the file as stg.json, with previews for these numbers: exit code, warnings, and each stack's JSON. */
function synth(config: Record<string, any>, numbers?: number[]) {
  const project = tempProject({ stg: config });
  const lines = { error: [] as string[], warn: [] as string[] };
  try {
    const result = synthesize({ ...project, previews: numbers && { numbers }, info: () => undefined, error: (l) => lines.error.push(l), warn: (l) => lines.warn.push(l) });
    const written = snapshot(project.outdir);
    const stacks = Object.fromEntries(Object.entries(written).filter(([file]) => file.endsWith('cdk.tf.json')).map(([file, text]) => [path.basename(path.dirname(file)), JSON.parse(text)]));
    return { exitCode: result.exitCode, ...lines, stacks };
  } finally {
    fs.rmSync(project.root, { recursive: true, force: true });
  }
}

const resourcesOf = (stack: any, type: string): Record<string, any> => stack.resource[type] ?? {};
const container = (stack: any) => JSON.parse(stack.resource.aws_ecs_task_definition.stg_server.container_definitions)[0];
const variable = (stack: any, name: string) => container(stack).environment.find((entry: { name: string }) => entry.name === name)?.value;
const statementsOf = (policy: string) => parseJson(policy).Statement as { Sid: string; Action: string[]; Resource: string[] | string; Condition?: unknown }[];
const allPolicies = (stack: any) => Object.values(resourcesOf(stack, 'aws_iam_role_policy')).map((policy: any) => policy.policy as string).join('\n');

describe('the stg example with access "clone", a mask file and working hours', () => {
  const run = synth(exampleWith({ 'service.database': CLONE, 'service.schedule': HOURS }));
  const stg = run.stacks.stg;

  test('GIVEN the file WHEN synthesized THEN it passes, with no error and no warning', () => {
    expect(run.error).toEqual([]);
    expect(run.warn).toEqual([]);
    expect(run.exitCode).toBe(0);
  });

  test('THEN one copy-on-write clone of the looked-up production cluster, at its latest restorable time, under an identifier of its own', () => {
    const clusters = resourcesOf(stg, 'aws_rds_cluster');
    expect(Object.keys(clusters)).toEqual(['database_clone']);
    expect(clusters.database_clone).toMatchObject({
      cluster_identifier: 'prod-db-stg-clone',
      engine: 'aurora-postgresql',
      restore_to_point_in_time: { source_cluster_identifier: PRODUCTION, restore_type: 'copy-on-write', use_latest_restorable_time: true },
      lifecycle: { ignore_changes: ['restore_to_point_in_time'] },
    });
  });

  test('THEN the clone has its subnet group, its security group, its instance, a managed master secret, and no final snapshot', () => {
    const cluster = resourcesOf(stg, 'aws_rds_cluster').database_clone;
    expect(cluster).toMatchObject({
      manage_master_user_password: true,
      skip_final_snapshot: true,
      deletion_protection: false,
      db_subnet_group_name: '${aws_db_subnet_group.database_clone.name}',
      vpc_security_group_ids: ['${aws_security_group.database_clone.id}'],
      storage_encrypted: '${data.aws_rds_cluster.production.storage_encrypted}',
      kms_key_id: '${data.aws_rds_cluster.production.kms_key_id}',
      port: '${data.aws_rds_cluster.production.port}',
    });
    expect(resourcesOf(stg, 'aws_db_subnet_group').database_clone.subnet_ids).toEqual(example().service.subnetIds);
    expect(Object.keys(resourcesOf(stg, 'aws_rds_cluster_instance'))).toEqual(['database_clone']);
    expect(resourcesOf(stg, 'aws_rds_cluster_instance').database_clone).toMatchObject({ cluster_identifier: '${aws_rds_cluster.database_clone.id}', instance_class: 'db.t4g.medium' });
  });

  test('THEN the clone\'s group admits only the tasks\' group and the masking job\'s, on the production port', () => {
    const rules = Object.entries(resourcesOf(stg, 'aws_vpc_security_group_ingress_rule')).filter(([, rule]) => rule.security_group_id === '${aws_security_group.database_clone.id}');
    expect(rules.map(([, rule]) => rule.referenced_security_group_id).sort()).toEqual(['${aws_security_group.database_clone_mask.id}', '${aws_security_group.stg_server.id}']);
    for (const [, rule] of rules) expect(rule).toMatchObject({ from_port: '${data.aws_rds_cluster.production.port}', to_port: '${data.aws_rds_cluster.production.port}', ip_protocol: 'tcp' });
  });

  test('THEN the container connects to the clone\'s endpoint as its master user, the password by reference to the managed secret', () => {
    expect(variable(stg, 'DB_HOST')).toBe('${aws_rds_cluster.database_clone.endpoint}');
    expect(variable(stg, 'DB_PORT')).toBe('${data.aws_rds_cluster.production.port}');
    expect(variable(stg, 'DB_NAME')).toBe('app');
    expect(variable(stg, 'DB_USER')).toBe('${data.aws_rds_cluster.production.master_username}');
    expect(container(stg).secrets).toEqual([{ name: 'DB_PASSWORD', valueFrom: '${aws_rds_cluster.database_clone.master_user_secret[0].secret_arn}:password::' }]);
  });

  test('THEN the team\'s execution role may read exactly the clone\'s secret (and the previews\' clones\', by RDS\'s tag)', () => {
    const grant = resourcesOf(stg, 'aws_iam_role_policy').stg_server_database_password;
    expect(grant.role).toBe(TEAM_EXECUTION_ROLE);
    const statements = statementsOf(grant.policy);
    expect(statements.find((s) => s.Sid === 'ReadCloneSecret')).toMatchObject({ Action: ['secretsmanager:GetSecretValue'], Resource: ['${aws_rds_cluster.database_clone.master_user_secret[0].secret_arn}'] });
    expect(statements.find((s) => s.Sid === 'ReadPreviewCloneSecrets')?.Condition).toMatchObject({ StringLike: { 'secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn': expect.stringMatching(/:cluster:prod-db-stg-pr-\*$/) } });
  });

  test('THEN nothing reaches production\'s own database: no ingress on its group, no rds-db:connect, the cluster only a data source', () => {
    expect(resourcesOf(stg, 'aws_vpc_security_group_ingress_rule')).not.toHaveProperty('database_from_stg_server');
    expect(allPolicies(stg)).not.toMatch(/rds-db/);
    expect(Object.keys(stg.data.aws_rds_cluster)).toEqual(['production']);
    expect(stg.data.aws_rds_cluster.production.cluster_identifier).toBe('prod-db');
    for (const cluster of Object.values(resourcesOf(stg, 'aws_rds_cluster'))) expect(cluster.cluster_identifier).not.toBe('prod-db');
  });

  test('THEN EventBridge Scheduler stops the clone at sleep and starts it at wake, its role allowed exactly that on the clone', () => {
    const schedules = resourcesOf(stg, 'aws_scheduler_schedule');
    expect(schedules.database_clone_stop).toMatchObject({ schedule_expression: HOURS.sleep, schedule_expression_timezone: HOURS.timezone, target: { arn: 'arn:aws:scheduler:::aws-sdk:rds:stopDBCluster' } });
    expect(schedules.database_clone_start).toMatchObject({ schedule_expression: HOURS.wake, schedule_expression_timezone: HOURS.timezone, target: { arn: 'arn:aws:scheduler:::aws-sdk:rds:startDBCluster' } });
    expect(schedules.database_clone_stop.target.input).toContain('aws_rds_cluster.database_clone.cluster_identifier');
    expect(statementsOf(resourcesOf(stg, 'aws_iam_role_policy').database_clone_stop.policy)).toEqual([
      { Sid: 'StopAndStartTheClone', Effect: 'Allow', Action: ['rds:StopDBCluster', 'rds:StartDBCluster'], Resource: ['${aws_rds_cluster.database_clone.arn}'] },
    ]);
  });

  test('THEN the service starts at 0 tasks and Terraform leaves its count to the masking job and the schedule (the target registered at 0)', () => {
    expect(resourcesOf(stg, 'aws_ecs_service').stg_server).toMatchObject({ desired_count: 0, lifecycle: { ignore_changes: ['task_definition', 'desired_count'] } });
    expect(resourcesOf(stg, 'aws_appautoscaling_target').stg_server).toMatchObject({ min_capacity: 0, max_capacity: 0 });
    expect(resourcesOf(stg, 'aws_appautoscaling_scheduled_action').stg_server_wake.scalable_target_action).toEqual({ min_capacity: '1', max_capacity: '1' });
  });

  test('THEN the masking job has a group of its own: HTTPS out, and out to the clone on the port; nothing in', () => {
    expect(resourcesOf(stg, 'aws_security_group').database_clone_mask).toMatchObject({ name: 'prod-db-stg-clone-mask' });
    const egress = Object.values(resourcesOf(stg, 'aws_vpc_security_group_egress_rule')).filter((rule: any) => rule.security_group_id === '${aws_security_group.database_clone_mask.id}');
    expect(egress.map((rule: any) => rule.referenced_security_group_id ?? rule.cidr_ipv4).sort()).toEqual(['${aws_security_group.database_clone.id}', '0.0.0.0/0']);
    expect(Object.values(resourcesOf(stg, 'aws_vpc_security_group_ingress_rule')).filter((rule: any) => rule.security_group_id === '${aws_security_group.database_clone_mask.id}')).toEqual([]);
  });
});

describe('the masking job of staging\'s clone, started by its instance\'s creation, with working hours (fail closed)', () => {
  const run = synth(exampleWith({ 'service.database': CLONE, 'service.schedule': HOURS }));
  const stg = run.stacks.stg;
  const project = () => resourcesOf(stg, 'aws_codebuild_project').database_clone_mask;
  const variables = () => (yaml.safeLoad(project().source.buildspec) as { env: { variables: Record<string, string> } }).env.variables;

  test('THEN one masking project, in the VPC in the job\'s group, running the mask file of the application repository at the staging branch', () => {
    expect(run.exitCode).toBe(0);
    expect(project()).toMatchObject({
      name: 'prod-db-stg-clone-mask',
      source: { type: 'GITHUB', location: example().pipeline.repository },
      source_version: example().pipeline.branch,
      vpc_config: { security_group_ids: ['${aws_security_group.database_clone_mask.id}'], subnets: example().service.subnetIds },
    });
    expect(variables()).toMatchObject({ MASK_FILE: 'db/mask.sql', MASK_CLUSTER: '${aws_rds_cluster.database_clone.cluster_identifier}', MASK_DB_PORT: '${data.aws_rds_cluster.production.port}', MASK_ECS_SERVICE: '${aws_ecs_service.stg_server.name}' });
  });

  test('THEN the job resumes the working hours after the mask: their expressions and the scalable target are in the buildspec, and the role may register exactly that target', () => {
    expect(variables()).toMatchObject({ MASK_WAKE: HOURS.wake, MASK_SLEEP: HOURS.sleep, MASK_TIMEZONE: HOURS.timezone, MASK_SCALABLE_TARGET: 'service/${aws_ecs_cluster.stg_ecs_cluster.name}/${aws_ecs_service.stg_server.name}' });
    const statements = statementsOf(resourcesOf(stg, 'aws_iam_role_policy').database_clone_mask.policy);
    expect(statements.find((st) => st.Sid === 'ResumeWorkingHours')).toMatchObject({ Action: ['application-autoscaling:RegisterScalableTarget'], Resource: ['${aws_appautoscaling_target.stg_server.arn}'] });
    expect(statements.find((st) => st.Sid === 'Scale')).toMatchObject({ Resource: ['${aws_ecs_service.stg_server.id}'] });
    expect(statements.find((st) => st.Sid === 'CloneSecret')).toMatchObject({ Resource: ['${aws_rds_cluster.database_clone.master_user_secret[0].secret_arn}'] });
  });

  test('THEN the scalable target is registered at 0 with scheduled and dynamic scaling suspended, left so by Terraform: no wake scales the service before the mask', () => {
    expect(resourcesOf(stg, 'aws_appautoscaling_target').stg_server).toMatchObject({
      min_capacity: 0,
      max_capacity: 0,
      suspended_state: { dynamic_scaling_in_suspended: true, dynamic_scaling_out_suspended: true, scheduled_scaling_suspended: true },
      lifecycle: { ignore_changes: ['min_capacity', 'max_capacity', 'suspended_state'] },
    });
  });

  test('THEN an EventBridge rule on RDS\'s "DB instance created" of the clone\'s instance starts the project, with a role allowed to start that project only', () => {
    const rule = resourcesOf(stg, 'aws_cloudwatch_event_rule').database_clone_mask_start;
    expect(JSON.parse(rule.event_pattern)).toEqual({ source: ['aws.rds'], 'detail-type': ['RDS DB Instance Event'], detail: { SourceIdentifier: ['prod-db-stg-clone-1'], EventID: ['RDS-EVENT-0005'] } });
    expect(resourcesOf(stg, 'aws_rds_cluster_instance').database_clone.identifier).toBe('prod-db-stg-clone-1');
    expect(resourcesOf(stg, 'aws_cloudwatch_event_target').database_clone_mask_start).toMatchObject({ arn: '${aws_codebuild_project.database_clone_mask.arn}', role_arn: '${aws_iam_role.database_clone_mask_start.arn}' });
    expect(statementsOf(resourcesOf(stg, 'aws_iam_role_policy').database_clone_mask_start.policy)).toEqual([{ Sid: 'StartMaskingJob', Effect: 'Allow', Action: ['codebuild:StartBuild'], Resource: ['${aws_codebuild_project.database_clone_mask.arn}'] }]);
  });

  test('THEN the clone\'s instance is created only after the rule and its target, so its event is never missed', () => {
    expect(resourcesOf(stg, 'aws_rds_cluster_instance').database_clone.depends_on).toEqual(['aws_cloudwatch_event_rule.database_clone_mask_start', 'aws_cloudwatch_event_target.database_clone_mask_start']);
  });

  test('THEN the service, which names the task family as a literal, is created after the task definition, which waits for the clone\'s endpoint and secret', () => {
    const service = resourcesOf(stg, 'aws_ecs_service').stg_server;
    expect(service.task_definition).toBe('stg-server');
    expect(service.depends_on).toContain('aws_ecs_task_definition.stg_server');
    expect(container(stg).secrets).toEqual([{ name: 'DB_PASSWORD', valueFrom: '${aws_rds_cluster.database_clone.master_user_secret[0].secret_arn}:password::' }]);
  });
});

describe('the masking job of staging\'s clone without working hours', () => {
  test('GIVEN a masked clone and no schedule WHEN synthesized THEN the job scales the service with update-service: no scalable target, nothing to resume', () => {
    // WHEN
    const { exitCode, stacks } = synth(exampleWith({ 'service.database': CLONE }));
    // THEN
    expect(exitCode).toBe(0);
    const buildspec = yaml.safeLoad(resourcesOf(stacks.stg, 'aws_codebuild_project').database_clone_mask.source.buildspec) as { env: { variables: Record<string, string> }; phases: { build: { commands: string[] } } };
    expect(buildspec.env.variables).not.toHaveProperty('MASK_SCALABLE_TARGET');
    expect(buildspec.phases.build.commands.join('\n')).not.toContain('register-scalable-target');
    expect(buildspec.phases.build.commands.join('\n')).toContain('aws ecs update-service');
    expect(resourcesOf(stacks.stg, 'aws_appautoscaling_target')).toEqual({});
    expect(statementsOf(resourcesOf(stacks.stg, 'aws_iam_role_policy').database_clone_mask.policy).map((st) => st.Sid)).not.toContain('ResumeWorkingHours');
    expect(resourcesOf(stacks.stg, 'aws_cloudwatch_event_rule')).toHaveProperty('database_clone_mask_start');
  });
});

describe('the stg example with access "clone" and no working hours, unmasked by consent', () => {
  test('GIVEN the file WHEN synthesized THEN no schedule for the clone, no masking job\'s group, and the service at its own count', () => {
    // WHEN
    const { exitCode, stacks, warn } = synth(exampleWith({ 'service.database': { ...CLONE, clone: undefined, allowUnmaskedProductionData: true } }));
    // THEN
    expect(exitCode).toBe(0);
    expect(warn).toEqual([expect.stringMatching(/STG-UnmaskedClone/)]);
    expect(Object.keys(resourcesOf(stacks.stg, 'aws_scheduler_schedule'))).toEqual(['previews_reaper']);
    expect(resourcesOf(stacks.stg, 'aws_security_group')).not.toHaveProperty('database_clone_mask');
    expect(resourcesOf(stacks.stg, 'aws_ecs_service').stg_server.desired_count).toBe(1);
    // nothing to mask: no masking job, nothing to start it
    expect(resourcesOf(stacks.stg, 'aws_codebuild_project')).not.toHaveProperty('database_clone_mask');
    expect(resourcesOf(stacks.stg, 'aws_cloudwatch_event_rule')).not.toHaveProperty('database_clone_mask_start');
    expect(resourcesOf(stacks.stg, 'aws_rds_cluster_instance').database_clone).not.toHaveProperty('depends_on');
  });
});

describe('previews.database.access "clone" with PREVIEW_PULL_REQUESTS=7,12', () => {
  const run = synth(exampleWith({ 'service.database': READ_ONLY, 'previews.database': { access: 'clone' }, 'service.schedule': HOURS }), [7, 12]);

  test('GIVEN staging read-only and previews\' clones WHEN synthesized THEN staging, stg-pr-7 and stg-pr-12 are written', () => {
    expect(run.error).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(Object.keys(run.stacks).sort()).toEqual(['stg', 'stg-pr-12', 'stg-pr-7']);
  });

  test.each([7, 12])('THEN stg-pr-%i has its own copy-on-write clone, with its number, destroyed with it', (number) => {
    const stack = run.stacks[`stg-pr-${number}`];
    const cluster = resourcesOf(stack, 'aws_rds_cluster').database_clone;
    expect(cluster).toMatchObject({
      cluster_identifier: `prod-db-stg-pr-${number}`,
      restore_to_point_in_time: { source_cluster_identifier: '${data.terraform_remote_state.staging.outputs.previews_clone_source}', restore_type: 'copy-on-write', use_latest_restorable_time: true },
      skip_final_snapshot: true,
      deletion_protection: false,
      manage_master_user_password: true,
    });
    expect(resourcesOf(stack, 'aws_rds_cluster_instance').database_clone.identifier).toBe(`prod-db-stg-pr-${number}-1`);
    expect(resourcesOf(stack, 'aws_db_subnet_group').database_clone.name).toBe(`prod-db-stg-pr-${number}`);
    expect(variable(stack, 'DB_HOST')).toBe('${aws_rds_cluster.database_clone.endpoint}');
    expect(container(stack).secrets).toContainEqual({ name: 'DB_PASSWORD', valueFrom: '${aws_rds_cluster.database_clone.master_user_secret[0].secret_arn}:password::' });
    expect(resourcesOf(stack, 'aws_ecs_service').stg_server).toMatchObject({ desired_count: 0, lifecycle: { ignore_changes: ['desired_count'] } });
    expect(resourcesOf(stack, 'aws_scheduler_schedule').database_clone_stop.target.role_arn).toBe('${data.terraform_remote_state.staging.outputs.previews_clone_scheduler_role_arn}');
  });

  test('THEN the two previews\' clones are distinct, and staging (read-only) has none, but keeps its ingress on production\'s group', () => {
    const identifiers = [7, 12].map((number) => resourcesOf(run.stacks[`stg-pr-${number}`], 'aws_rds_cluster').database_clone.cluster_identifier);
    expect(new Set(identifiers).size).toBe(2);
    expect(resourcesOf(run.stacks.stg, 'aws_rds_cluster')).toEqual({});
    expect(resourcesOf(run.stacks.stg, 'aws_vpc_security_group_ingress_rule')).toHaveProperty('database_from_stg_server');
  });

  test('THEN staging gives the previews what their clones are made from: the source, its encryption and port, the masking job\'s group and the schedules\' role', () => {
    const outputs = run.stacks.stg.output;
    expect(outputs.previews_clone_source.value).toBe(PRODUCTION);
    for (const name of ['previews_clone_port', 'previews_clone_storage_encrypted', 'previews_clone_kms_key_id', 'previews_clone_master_username', 'previews_clone_mask_security_group_id', 'previews_clone_scheduler_role_arn']) expect(outputs).toHaveProperty(name);
    expect(statementsOf(resourcesOf(run.stacks.stg, 'aws_iam_role_policy').previews_clone_scheduler.policy)[0].Resource).toEqual([expect.stringMatching(/:cluster:prod-db-stg-pr-\*$/)]);
  });

  test('THEN the previews build may make and destroy clones by their name only, and create (never read) their master secrets', () => {
    const statements = statementsOf(resourcesOf(run.stacks.stg, 'aws_iam_role_policy').previews_build.policy);
    const sid = (name: string) => statements.find((statement) => statement.Sid === name)!;
    expect(sid('PreviewCloneRestore').Resource).toEqual(['${data.aws_rds_cluster.production.arn}', expect.stringMatching(/:cluster:prod-db-stg-pr-\*$/), expect.stringMatching(/:subgrp:prod-db-stg-pr-\*$/), expect.stringMatching(/:cluster-pg:default\.\*$/)]);
    expect(sid('PreviewClones').Resource).toEqual(expect.arrayContaining([expect.stringMatching(/:cluster:prod-db-stg-pr-\*$/), expect.stringMatching(/:db:prod-db-stg-pr-\*$/)]));
    expect(sid('PreviewClones').Action).not.toContain('rds:RestoreDBClusterToPointInTime');
    expect(sid('PreviewCloneMasterSecrets').Action).toEqual(['secretsmanager:CreateSecret', 'secretsmanager:TagResource']);
    expect(sid('PassCloneSchedulerRole').Resource).toEqual(['${aws_iam_role.previews_clone_scheduler.arn}']);
  });
});

describe('previews\' masked clones: each preview its own masking job, run and started with staging\'s roles', () => {
  const run = synth(exampleWith({ 'service.database': READ_ONLY, 'previews.database': { access: 'clone' }, 'service.schedule': HOURS }), [7, 12]);

  test.each([7, 12])('THEN stg-pr-%i has its own masking project, running the base branch\'s mask file (never the pull request\'s) with staging\'s role for previews', (number) => {
    const stack = run.stacks[`stg-pr-${number}`];
    const project = resourcesOf(stack, 'aws_codebuild_project').database_clone_mask;
    expect(project).toMatchObject({ name: `prod-db-stg-pr-${number}-mask`, service_role: '${data.terraform_remote_state.staging.outputs.previews_clone_mask_role_arn}', source_version: example().previews.baseBranch ?? example().pipeline.branch });
    const variables = (yaml.safeLoad(project.source.buildspec) as { env: { variables: Record<string, string> } }).env.variables;
    expect(variables).toMatchObject({ MASK_CLUSTER: '${aws_rds_cluster.database_clone.cluster_identifier}', MASK_SECRET_ARN: '${aws_rds_cluster.database_clone.master_user_secret[0].secret_arn}', MASK_SCALABLE_TARGET: `service/${example().cluster.name}/\${aws_ecs_service.stg_server.name}` });
    expect(resourcesOf(stack, 'aws_iam_role')).toEqual({});
  });

  test.each([7, 12])('THEN stg-pr-%i\'s rule starts its own project on its own instance\'s creation, with staging\'s start role, and its instance waits for it', (number) => {
    const stack = run.stacks[`stg-pr-${number}`];
    const rule = resourcesOf(stack, 'aws_cloudwatch_event_rule').database_clone_mask_start;
    expect(JSON.parse(rule.event_pattern).detail).toEqual({ SourceIdentifier: [`prod-db-stg-pr-${number}-1`], EventID: ['RDS-EVENT-0005'] });
    expect(resourcesOf(stack, 'aws_cloudwatch_event_target').database_clone_mask_start).toMatchObject({ arn: '${aws_codebuild_project.database_clone_mask.arn}', role_arn: '${data.terraform_remote_state.staging.outputs.previews_clone_mask_start_role_arn}' });
    expect(resourcesOf(stack, 'aws_rds_cluster_instance').database_clone.depends_on).toEqual(['aws_cloudwatch_event_rule.database_clone_mask_start', 'aws_cloudwatch_event_target.database_clone_mask_start']);
    expect(resourcesOf(stack, 'aws_appautoscaling_target').stg_server).toMatchObject({ min_capacity: 0, suspended_state: { scheduled_scaling_suspended: true } });
  });

  test('THEN staging makes the two roles once and gives them to the previews; the previews build may make the jobs\' projects, logs and rules by name and pass exactly those roles', () => {
    const stg = run.stacks.stg;
    expect(stg.output.previews_clone_mask_role_arn.value).toBe('${aws_iam_role.previews_clone_mask.arn}');
    expect(stg.output.previews_clone_mask_start_role_arn.value).toBe('${aws_iam_role.previews_clone_mask_start.arn}');
    const statements = statementsOf(resourcesOf(stg, 'aws_iam_role_policy').previews_build.policy);
    const sid = (name: string) => statements.find((statement) => statement.Sid === name)!;
    expect(sid('PreviewMaskingProjects').Resource).toEqual([expect.stringMatching(/:project\/prod-db-stg-pr-\*-mask$/)]);
    expect(sid('PreviewMaskingLogs').Resource).toEqual([expect.stringMatching(/:log-group:\/aws\/codebuild\/prod-db-stg-pr-\*-mask$/)]);
    expect(sid('PreviewMaskingRules').Resource).toEqual([expect.stringMatching(/:rule\/prod-db-stg-pr-\*$/)]);
    expect(sid('PassMaskingJobRole')).toMatchObject({ Resource: ['${aws_iam_role.previews_clone_mask.arn}'], Condition: { StringEquals: { 'iam:PassedToService': 'codebuild.amazonaws.com' } } });
    expect(sid('PassMaskingStartRole')).toMatchObject({ Resource: ['${aws_iam_role.previews_clone_mask_start.arn}'], Condition: { StringEquals: { 'iam:PassedToService': 'events.amazonaws.com' } } });
    // it makes no role of its own
    expect(statements.flatMap((statement) => statement.Action).filter((action) => /^iam:(CreateRole|PutRolePolicy|AttachRolePolicy)$/.test(action))).toEqual([]);
  });
});

describe('the masking job\'s seam', () => {
  test('GIVEN a masked clone WHEN synthesized THEN StagingEnvironment.clone.maskTarget names the clone, its instance, its secret, the job\'s group and the SQL file', () => {
    // GIVEN
    const project = tempProject({ stg: exampleWith({ 'service.database': CLONE }) });
    try {
      // WHEN
      const result = synthesize({ ...project, info: () => undefined, error: () => undefined, warn: () => undefined });
      // THEN
      expect(result.exitCode).toBe(0);
      const stack = result.stacks.find((candidate) => candidate.node.id === 'stg')!;
      const staging = stack.staging;
      const resolve = (value: unknown) => Tokenization.resolve(value, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
      const target = staging.clone!.maskTarget;
      expect(target).toMatchObject({ engine: 'aurora-postgresql', databaseName: 'app', maskFile: 'db/mask.sql', instanceIdentifier: 'prod-db-stg-clone-1', subnetIds: example().service.subnetIds, vpcId: example().targetGroup.vpcId });
      expect(resolve(target.securityGroupId)).toBe('${aws_security_group.database_clone_mask.id}');
      expect(resolve(target.clientSecurityGroupIds)).toEqual(['${aws_security_group.stg_server.id}']);
      expect(resolve(target.secretArn)).toBe('${aws_rds_cluster.database_clone.master_user_secret[0].secret_arn}');
      expect(resolve(target.endpoint)).toBe('${aws_rds_cluster.database_clone.endpoint}');
      expect(resolve(target.masterUsername)).toBe('${data.aws_rds_cluster.production.master_username}');
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  });
});
