import { boundedName } from '../../src/aws/scheduler';
import { maskingJobName } from '../../src/constructs/masking-job';
import { PreviewMaskingRoles, PreviewMaskingRolesProps, previewMaskingPatterns } from '../../src/constructs/preview-masking';
import { parseJson } from '../../src/guardrails/guardrail';
import { synthScope } from '../support/synth';

/**
 * The roles every preview's masking job runs with and is started with (issue 27, previews' clones),
 * made once by the staging stack: a preview's build passes them, never makes one. Scoped by the names
 * of the previews' clones, services, projects and rules.
 */

const PROPS: PreviewMaskingRolesProps = {
  name: 'prod-db-stg-previews',
  region: 'ap-northeast-1',
  account: '123456789012',
  clonePattern: 'prod-db-stg-pr-*',
  clusterName: 'stg_ecs_cluster',
  servicePrefix: 'stg-server-pr-',
  subnetIds: ['subnet-0123456789abcdef0'],
  connectionArn: 'arn:aws:codeconnections:ap-northeast-1:123456789012:connection/0123abcd-0123-4567-89ab-0123456789ab',
};

interface Statement {
  Sid?: string;
  Action: string[] | string;
  Resource?: string[] | string;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
}
const synthRoles = (props: Partial<PreviewMaskingRolesProps> = {}) => synthScope((scope) => new PreviewMaskingRoles(scope, 'Roles', { ...PROPS, ...props }));
const statements = (synth: ReturnType<typeof synthRoles>, address: string): Statement[] => parseJson(synth.resource('aws_iam_role_policy', address).policy).Statement;

describe('previewMaskingPatterns', () => {
  test('GIVEN the previews\' clones WHEN their jobs\' names are patterned THEN every preview\'s project and rule match, staging\'s do not', () => {
    // WHEN
    const patterns = previewMaskingPatterns('prod-db-stg-pr-*');
    const matches = (pattern: string, name: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(name);
    // THEN
    expect(patterns).toEqual({ project: 'prod-db-stg-pr-*-mask', rule: 'prod-db-stg-pr-*' });
    expect(matches(patterns.project, maskingJobName('prod-db-stg-pr-12'))).toBe(true);
    expect(matches(patterns.rule, boundedName(maskingJobName('prod-db-stg-pr-12'), 'start'))).toBe(true);
    expect(matches(patterns.project, maskingJobName('prod-db-stg-clone'))).toBe(false);
    expect(matches(patterns.rule, boundedName(maskingJobName('prod-db-stg-clone'), 'start'))).toBe(false);
  });

  test.each([40, 41, 42, 43, 50])('GIVEN a source of %i characters, so long that a rule\'s name is cut WHEN patterned THEN the rule pattern still matches the cut name', (length) => {
    // GIVEN
    const source = 'a'.repeat(length);
    const rules = [1, 12, 123456].map((n) => boundedName(maskingJobName(`${source}-stg-pr-${n}`), 'start'));
    // WHEN
    const { rule: pattern } = previewMaskingPatterns(`${source}-stg-pr-*`);
    // THEN
    for (const rule of rules) {
      expect(rule.length).toBeLessThanOrEqual(64);
      expect(rule.startsWith(pattern.replace(/\*$/, ''))).toBe(true);
    }
  });
});

describe('PreviewMaskingRoles', () => {
  test('GIVEN the previews\' clones WHEN the job\'s role is read THEN it reads only preview clones\' secrets (by RDS\'s tag), describes only those clones, scales only the previews\' services, writes only their projects\' logs', () => {
    // WHEN
    const synth = synthRoles();
    const bySid = Object.fromEntries(statements(synth, 'previews_clone_mask').map((st) => [st.Sid, st]));
    // THEN
    expect(Object.keys(bySid)).toEqual(['Logs', 'CloneSecret', 'CloneCluster', 'Scale', 'VpcNetworkInterfaces', 'VpcNetworkInterfacePermission', 'Source']);
    expect(bySid.CloneSecret).toMatchObject({
      Action: ['secretsmanager:GetSecretValue'],
      Resource: ['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!cluster-*'],
      Condition: { StringEquals: { 'secretsmanager:ResourceTag/aws:secretsmanager:owningService': 'rds' }, StringLike: { 'secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn': 'arn:aws:rds:ap-northeast-1:123456789012:cluster:prod-db-stg-pr-*' } },
    });
    expect(bySid.CloneCluster).toMatchObject({ Action: ['rds:DescribeDBClusters'], Resource: ['arn:aws:rds:ap-northeast-1:123456789012:cluster:prod-db-stg-pr-*'] });
    expect(bySid.Scale).toMatchObject({ Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Resource: ['arn:aws:ecs:ap-northeast-1:123456789012:service/stg_ecs_cluster/stg-server-pr-*'] });
    expect(bySid.Logs.Resource).toEqual(['arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/codebuild/prod-db-stg-pr-*-mask:*']);
    expect(synth.resource('aws_iam_role', 'previews_clone_mask').name).toBe('prod-db-stg-previews-mask');
  });

  test('GIVEN previews with working hours WHEN the job\'s role is read THEN it may also register scalable targets again (a preview\'s target has a random ID), and without them it may not', () => {
    const withHours = statements(synthRoles({ workingHours: true }), 'previews_clone_mask');
    expect(withHours.find((st) => st.Sid === 'ResumeWorkingHours')).toMatchObject({ Action: ['application-autoscaling:RegisterScalableTarget'], Resource: ['arn:aws:application-autoscaling:ap-northeast-1:123456789012:scalable-target/*'] });
    expect(statements(synthRoles(), 'previews_clone_mask').map((st) => st.Sid)).not.toContain('ResumeWorkingHours');
  });

  test('GIVEN the start role WHEN read THEN EventBridge may assume it for the previews\' rules only, and it may start only the previews\' masking projects', () => {
    // WHEN
    const synth = synthRoles();
    const trust = parseJson(synth.resource('aws_iam_role', 'previews_clone_mask_start').assume_role_policy).Statement as Statement[];
    // THEN
    expect(trust[0]).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': ['arn:aws:events:ap-northeast-1:123456789012:rule/prod-db-stg-pr-*'] } } });
    expect(statements(synth, 'previews_clone_mask_start')).toEqual([{ Sid: 'StartMaskingJob', Effect: 'Allow', Action: ['codebuild:StartBuild'], Resource: ['arn:aws:codebuild:ap-northeast-1:123456789012:project/prod-db-stg-pr-*-mask'] }]);
    expect(synth.resource('aws_iam_role', 'previews_clone_mask_start').name).toBe('prod-db-stg-previews-mask-start');
  });
});
