import { CloneDatabase } from '../../src/constructs/clone-database';
import { INSTANCE_CREATED, instanceCreatedPattern, MaskStart, MaskStartProps } from '../../src/constructs/mask-start';
import { MaskingJob } from '../../src/constructs/masking-job';
import { parseJson } from '../../src/guardrails/guardrail';
import { CLONE_PROPS } from '../support/clone-stacks';
import { runGuardrails } from '../support/guardrails';
import { synthScope } from '../support/synth';

/**
 * MaskStart (issue 27, "Masking, fail closed"): what starts the masking job once the clone's instance
 * exists, declaratively. An EventBridge rule on RDS's "DB instance created" event (RDS-EVENT-0005) of
 * exactly the clone's instance, whose target is the masking project, started with a role allowed
 * codebuild:StartBuild on that project only; the instance is created after the rule and its target.
 */

const PROJECT_ARN = 'arn:aws:codebuild:ap-northeast-1:123456789012:project/prod-db-stg-clone-mask';
const PROPS: MaskStartProps = { instanceIdentifier: 'prod-db-stg-clone-1', projectArn: PROJECT_ARN, name: 'prod-db-stg-clone-mask', account: '123456789012' };
const ADDRESS = 'database_clone_mask_start';
const synthStart = (props: Partial<MaskStartProps> = {}) => synthScope((scope) => new MaskStart(scope, 'MaskStart', { ...PROPS, ...props }));

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string[] | string;
  Resource?: string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

describe('MaskStart', () => {
  test('GIVEN the clone\'s instance WHEN synthesized THEN a rule, its target, a role and its policy, nothing else', () => {
    // WHEN
    const synth = synthStart();
    // THEN
    expect(synth.addresses().sort()).toEqual([`aws_cloudwatch_event_rule.${ADDRESS}`, `aws_cloudwatch_event_target.${ADDRESS}`, `aws_iam_role.${ADDRESS}`, `aws_iam_role_policy.${ADDRESS}`]);
  });

  test('GIVEN the clone\'s instance WHEN the rule is read THEN it matches RDS\'s "DB instance created" event of exactly that instance, from aws.rds', () => {
    // WHEN
    const rule = synthStart().resource('aws_cloudwatch_event_rule', ADDRESS);
    // THEN
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ['aws.rds'],
      'detail-type': ['RDS DB Instance Event'],
      detail: { SourceIdentifier: ['prod-db-stg-clone-1'], EventID: ['RDS-EVENT-0005'] },
    });
    expect(rule.name).toBe('prod-db-stg-clone-mask-start');
    expect(rule).not.toHaveProperty('schedule_expression');
  });

  test('GIVEN the pattern WHEN held against RDS\'s example event of a created instance THEN it matches that instance\'s and no other\'s, nor another event of it', () => {
    // GIVEN the example event (Amazon RDS User Guide, example events), for our instance
    const event = (identifier: string, eventId: string) => ({ source: 'aws.rds', 'detail-type': 'RDS DB Instance Event', detail: { EventCategories: ['creation'], SourceType: 'DB_INSTANCE', SourceIdentifier: identifier, Message: 'DB instance created', EventID: eventId } });
    const pattern = JSON.parse(instanceCreatedPattern('prod-db-stg-clone-1'));
    // a plain EventBridge match of the fields the pattern names: each field's value one of those listed
    const matches = (e: ReturnType<typeof event>) =>
      pattern.source.includes(e.source) &&
      pattern['detail-type'].includes(e['detail-type']) &&
      Object.entries(pattern.detail as Record<string, unknown[]>).every(([key, allowed]) => allowed.includes((e.detail as Record<string, unknown>)[key]));
    // WHEN / THEN
    expect(matches(event('prod-db-stg-clone-1', INSTANCE_CREATED.eventId))).toBe(true);
    expect(matches(event('prod-db-1', INSTANCE_CREATED.eventId))).toBe(false);
    expect(matches(event('prod-db-stg-clone-10', INSTANCE_CREATED.eventId))).toBe(false);
    // RDS-EVENT-0006: "DB instance restarted", which a wake of the clone sends
    expect(matches(event('prod-db-stg-clone-1', 'RDS-EVENT-0006'))).toBe(false);
  });

  test('GIVEN the job\'s project WHEN the target is read THEN it is that project, started with the rule\'s own role', () => {
    // WHEN
    const synth = synthStart();
    const target = synth.resource('aws_cloudwatch_event_target', ADDRESS);
    // THEN
    expect(target).toMatchObject({ arn: PROJECT_ARN, rule: `\${aws_cloudwatch_event_rule.${ADDRESS}.name}`, role_arn: `\${aws_iam_role.${ADDRESS}.arn}` });
    // no input: RDS's event is not a StartBuild request, so nothing of it overrides the build
    expect(target).not.toHaveProperty('input');
    expect(target).not.toHaveProperty('input_transformer');
  });

  test('GIVEN the role WHEN read THEN EventBridge may assume it for this rule of this account only, and it may start exactly the one project', () => {
    // WHEN
    const synth = synthStart();
    const trust = parseJson(synth.resource('aws_iam_role', ADDRESS).assume_role_policy).Statement as Statement[];
    const policy = parseJson(synth.resource('aws_iam_role_policy', ADDRESS).policy).Statement as Statement[];
    // THEN
    expect(trust).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': [`\${aws_cloudwatch_event_rule.${ADDRESS}.arn}`] } },
    }]);
    expect(policy).toEqual([{ Sid: 'StartMaskingJob', Effect: 'Allow', Action: ['codebuild:StartBuild'], Resource: [PROJECT_ARN] }]);
  });

  test('GIVEN a role made elsewhere (a preview\'s) WHEN synthesized THEN the target takes it and no role is made', () => {
    // WHEN
    const synth = synthStart({ roleArn: '${data.terraform_remote_state.staging.outputs.previews_clone_mask_start_role_arn}' });
    // THEN
    expect(synth.addresses().sort()).toEqual([`aws_cloudwatch_event_rule.${ADDRESS}`, `aws_cloudwatch_event_target.${ADDRESS}`]);
    expect(synth.resource('aws_cloudwatch_event_target', ADDRESS).role_arn).toBe('${data.terraform_remote_state.staging.outputs.previews_clone_mask_start_role_arn}');
  });

  test('GIVEN the clone WHEN the instance is ordered after the start THEN the instance depends on the rule and the target (its creation is their event), and the rule names the instance as a literal', () => {
    // WHEN
    const synth = synthScope((scope) => {
      const clone = new CloneDatabase(scope, 'Clone', CLONE_PROPS);
      const job = new MaskingJob(scope, 'MaskingJob', {
        projectName: 'prod-db-stg-clone-mask', clone: clone.maskTarget, region: 'ap-northeast-1', ecsClusterName: 'stg_ecs_cluster', serviceName: 'stg-server',
        serviceArn: 'arn:aws:ecs:ap-northeast-1:123456789012:service/stg_ecs_cluster/stg-server', desiredCount: 1, repository: 'https://github.com/example/stg-server.git', tokenSecretArn: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:github-AbCdEf',
      });
      new MaskStart(scope, 'MaskStart', { ...PROPS, instanceIdentifier: clone.maskTarget.instanceIdentifier, projectArn: job.projectArn }).precedes(clone.instance);
    });
    // THEN
    expect(synth.resource('aws_rds_cluster_instance', 'database_clone').depends_on).toEqual([`aws_cloudwatch_event_rule.${ADDRESS}`, `aws_cloudwatch_event_target.${ADDRESS}`]);
    expect(JSON.parse(synth.resource('aws_cloudwatch_event_rule', ADDRESS).event_pattern).detail.SourceIdentifier).toEqual([synth.resource('aws_rds_cluster_instance', 'database_clone').identifier]);
    expect(synth.resource('aws_cloudwatch_event_target', ADDRESS).arn).toBe('${aws_codebuild_project.database_clone_mask.arn}');
  });

  test('GIVEN a long name WHEN synthesized THEN the rule and the role stay within 64 characters', () => {
    const synth = synthStart({ name: `${'x'.repeat(55)}-stg-pr-1234-mask` });
    expect(synth.resource('aws_cloudwatch_event_rule', ADDRESS).name.length).toBeLessThanOrEqual(64);
    expect(synth.resource('aws_iam_role', ADDRESS).name.length).toBeLessThanOrEqual(64);
  });

  test.each([
    ['a reference to the instance (the rule would come after its event)', '${aws_rds_cluster_instance.database_clone.identifier}'],
    ['an identifier with a space', 'prod db'],
  ])('refuses %s', (_name, instanceIdentifier) => {
    expect(() => synthStart({ instanceIdentifier })).toThrow(/instanceIdentifier: must be the instance's identifier as a literal/);
  });

  test('GIVEN the start beside its job WHEN the staging guardrails run THEN none finds anything in its resources', () => {
    // WHEN
    const findings = runGuardrails((stack) => {
      new MaskStart(stack, 'MaskStart', PROPS);
    });
    // THEN
    expect(findings.filter((f) => f.address.endsWith(`.${ADDRESS}`)).map((f) => `${f.ruleId} ${f.address}: ${f.detail}`)).toEqual([]);
  });
});
