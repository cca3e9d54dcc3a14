import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkEnvironmentFile } from '../../src/environment/load';
import { awsLocation, fileAccount, oneAccountOneRegion } from '../../src/environment/rules/account-region';
import { EnvironmentConfig } from '../../src/environment/schema';
import { fixtureJson, setPath } from '../support/environments';
import { fixtureConfig, PROJECT_ROOT } from '../support/synth';

const OTHER_ACCOUNT = '210987654321';
const CONNECTION = 'arn:aws:codeconnections:ap-northeast-1:123456789012:connection/0123abcd-0123-4567-89ab-0123456789ab';

/** A fixture (stg unless named), parsed, with changes at dotted paths. */
function configWith(set: Record<string, unknown>, fixture = 'stg'): EnvironmentConfig {
  const config = structuredClone(fixtureConfig(fixture)) as Record<string, any>;
  for (const [dotted, value] of Object.entries(set)) setPath(config, dotted, value);
  return config as EnvironmentConfig;
}

const paths = (config: EnvironmentConfig) => oneAccountOneRegion(config).map((finding) => finding.path.join('.'));

describe('one account, one region', () => {
  test.each([
    ...['stg.json', 'preview.json'].map((name) => path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'environments', name)),
    path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'article', 'article.json'),
    path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'lookup', 'lookup.json'),
  ])('%s is in one account and one region', (file) => {
    // GIVEN / WHEN
    const report = checkEnvironmentFile(file);
    // THEN
    expect(report.config).toBeDefined();
    expect(oneAccountOneRegion(report.config!)).toEqual([]);
  });

  test('every field that disagrees gets its own error, and the rest none', () => {
    // GIVEN two fields in us-east-1
    const config = configWith({
      'pipeline.connectionArn': CONNECTION.replace('ap-northeast-1', 'us-east-1'),
      'listenerRule.listenerArn': 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef',
    });
    // WHEN
    const findings = oneAccountOneRegion(config);
    // THEN
    expect(findings.map((f) => f.path.join('.'))).toEqual(['listenerRule.listenerArn', 'pipeline.connectionArn']);
    expect(findings[1]).toMatchObject({
      message: "must be in the file's region ap-northeast-1, like every regional ARN",
      got: `region "us-east-1" in "${CONNECTION.replace('ap-northeast-1', 'us-east-1')}"`,
    });
  });

  test('the account is the one most fields name; every field with another one is named, and the message names the first field in that account', () => {
    // GIVEN the listener and the connection in another account
    const config = configWith({
      'listenerRule.listenerArn': `arn:aws:elasticloadbalancing:ap-northeast-1:${OTHER_ACCOUNT}:listener/app/prod-alb/0123456789abcdef/0123456789abcdef`,
      'pipeline.connectionArn': CONNECTION.replace('123456789012', OTHER_ACCOUNT),
    });
    // WHEN
    const findings = oneAccountOneRegion(config);
    // THEN
    expect(findings.map((f) => [f.path.join('.'), f.message, f.got])).toEqual([
      ['listenerRule.listenerArn', 'must be in one AWS account with the rest of the file: 123456789012 (taskDefinition.executionRoleArn)', `account ${OTHER_ACCOUNT}`],
      ['pipeline.connectionArn', 'must be in one AWS account with the rest of the file: 123456789012 (taskDefinition.executionRoleArn)', `account ${OTHER_ACCOUNT}`],
    ]);
  });

  test('ECR hosts count as an account and a region', () => {
    // GIVEN / WHEN
    const config = configWith({ 'taskDefinition.container.image': `${OTHER_ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/stg-server:stg` });
    // THEN
    expect(oneAccountOneRegion(config).map((f) => [f.path.join('.'), f.got])).toEqual([
      ['taskDefinition.container.image', `region "us-west-2" in "${OTHER_ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com/stg-server:stg"`],
      ['taskDefinition.container.image', `account ${OTHER_ACCOUNT}`],
    ]);
  });

  test('IAM, Route 53, CloudFront and S3 bucket ARNs have no region; wildcard regions name none', () => {
    // GIVEN a task role policy on global resources and a wildcard-region log ARN
    const config = configWith({
      'taskDefinition.taskRolePolicy': [
        {
          actions: ['s3:GetObject'],
          resources: [
            'arn:aws:s3:::stg-assets/*',
            'arn:aws:iam::123456789012:role/other',
            'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ',
            'arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE',
            'arn:aws:logs:*:123456789012:log-group:stg-*',
          ],
        },
      ],
    });
    // WHEN / THEN
    expect(paths(config)).toEqual([]);
  });

  test('a regional ARN in a task role statement must be in the region too', () => {
    // GIVEN
    const config = configWith({ 'taskDefinition.taskRolePolicy': [{ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/stg'] }] });
    // WHEN / THEN
    expect(paths(config)).toEqual(['taskDefinition.taskRolePolicy.0.resources.0']);
  });

  test('Terraform references are skipped', () => {
    // GIVEN
    const config = configWith({
      'listenerRule.listenerArn': '${data.terraform_remote_state.production.outputs.listener_arn}',
      'pipeline.connectionArn': '${var.connection_arn}',
    });
    // WHEN / THEN
    expect(paths(config)).toEqual([]);
  });

  test('a field added later is covered without changing the rule: the whole config is walked', () => {
    // GIVEN an ARN under a field the rule has never heard of
    const config = configWith({ 'someFutureSection.topicArn': 'arn:aws:sns:eu-west-1:123456789012:stg-alerts' });
    // WHEN / THEN
    expect(paths(config)).toEqual(['someFutureSection.topicArn']);
  });

  test('the state backend’s KMS key is compared with the bucket’s region (backend.region) when one is given', () => {
    // GIVEN a bucket in us-east-1 with its key there, and one with its key elsewhere
    const kms = (region: string) => `arn:aws:kms:${region}:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab`;
    const inBucketRegion = configWith({ backend: { bucket: 'example-tfstate', region: 'us-east-1', kmsKeyId: kms('us-east-1') } });
    const elsewhere = configWith({ backend: { bucket: 'example-tfstate', region: 'us-east-1', kmsKeyId: kms('ap-northeast-1') } });
    const defaultRegion = configWith({ backend: { bucket: 'example-tfstate', kmsKeyId: kms('us-east-1') } });
    // WHEN / THEN
    expect(oneAccountOneRegion(inBucketRegion)).toEqual([]);
    expect(oneAccountOneRegion(elsewhere).map((f) => f.message)).toEqual([
      "must be in the state bucket's region us-east-1 (backend.region), like every regional ARN of the backend",
    ]);
    expect(paths(defaultRegion)).toEqual(['backend.kmsKeyId']);
  });

  test('without backend.region, the backend’s KMS key is compared with the file’s region, like any ARN', () => {
    // GIVEN a state bucket in the file's region (no backend.region) and its key in us-east-1
    const config = configWith({ backend: { bucket: 'example-tfstate', kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab' } });
    // WHEN / THEN
    expect(oneAccountOneRegion(config).map((f) => [f.path.join('.'), f.message])).toEqual([['backend.kmsKeyId', "must be in the file's region ap-northeast-1, like every regional ARN"]]);
  });

  test('a typo in the image’s account is reported on the image, though it comes before every other account', () => {
    // GIVEN preview.json, whose image is its first value naming an account (then its secret and listener)
    const image = `${OTHER_ACCOUNT}.dkr.ecr.ap-northeast-1.amazonaws.com/preview-server:preview`;
    const config = configWith({ 'taskDefinition.container.image': image }, 'preview');
    // WHEN
    const findings = oneAccountOneRegion(config);
    // THEN
    expect(findings.map((f) => [f.path.join('.'), f.message, f.got])).toEqual([
      ['taskDefinition.container.image', 'must be in one AWS account with the rest of the file: 123456789012 (taskDefinition.container.secrets.DB_PASSWORD)', `account ${OTHER_ACCOUNT}`],
    ]);
  });

  test('on a tie every field of the tied accounts is reported, each naming the other side; values naming only a region (the ALB’s DNS name) do not count', () => {
    // GIVEN references before the ALB's DNS name (a region, no account), then the connection and an SNS topic in two accounts
    const config = configWith({
      'taskDefinition.executionRoleArn': '${var.execution_role_arn}',
      'taskDefinition.taskRoleArn': '${var.task_role_arn}',
      'taskDefinition.container.image': '${var.image}',
      'taskDefinition.container.secrets.DB_PASSWORD': '${var.db_password_arn}',
      'listenerRule.listenerArn': '${var.listener_arn}',
      'someFutureSection.topicArn': `arn:aws:sns:ap-northeast-1:${OTHER_ACCOUNT}:stg-alerts`,
    });
    // WHEN
    const findings = oneAccountOneRegion(config);
    // THEN
    expect(findings.map((f) => [f.path.join('.'), f.message, f.got])).toEqual([
      [
        'pipeline.connectionArn',
        `must be in one AWS account with the rest of the file, but as many fields name ${OTHER_ACCOUNT} (someFutureSection.topicArn) as name 123456789012; change the ones that are wrong`,
        'account 123456789012',
      ],
      [
        'someFutureSection.topicArn',
        `must be in one AWS account with the rest of the file, but as many fields name 123456789012 (pipeline.connectionArn) as name ${OTHER_ACCOUNT}; change the ones that are wrong`,
        `account ${OTHER_ACCOUNT}`,
      ],
    ]);
  });

  test('on a tie, a field in a third account names both tied accounts and their fields', () => {
    // GIVEN two fields in 123456789012, two in 210987654321 and one in 555566667777 (the tied accounts in the file's order)
    const config = configWith({
      'taskDefinition.executionRoleArn': '${var.execution_role_arn}',
      'taskDefinition.taskRoleArn': '${var.task_role_arn}',
      'taskDefinition.container.image': '${var.image}',
      'taskDefinition.container.secrets.DB_PASSWORD': `arn:aws:secretsmanager:ap-northeast-1:${OTHER_ACCOUNT}:secret:prod/db-password-AbCdEf`,
      'someFutureSection.topicArn': `arn:aws:sns:ap-northeast-1:${OTHER_ACCOUNT}:stg-alerts`,
      'someFutureSection.queueArn': 'arn:aws:sqs:ap-northeast-1:555566667777:stg-jobs',
    });
    // WHEN
    const findings = oneAccountOneRegion(config);
    // THEN
    expect(findings.map((f) => [f.path.join('.'), f.message])).toEqual([
      ['taskDefinition.container.secrets.DB_PASSWORD', `must be in one AWS account with the rest of the file, but as many fields name 123456789012 (listenerRule.listenerArn and pipeline.connectionArn) as name ${OTHER_ACCOUNT}; change the ones that are wrong`],
      ['listenerRule.listenerArn', `must be in one AWS account with the rest of the file, but as many fields name ${OTHER_ACCOUNT} (taskDefinition.container.secrets.DB_PASSWORD and someFutureSection.topicArn) as name 123456789012; change the ones that are wrong`],
      ['pipeline.connectionArn', `must be in one AWS account with the rest of the file, but as many fields name ${OTHER_ACCOUNT} (taskDefinition.container.secrets.DB_PASSWORD and someFutureSection.topicArn) as name 123456789012; change the ones that are wrong`],
      ['someFutureSection.topicArn', `must be in one AWS account with the rest of the file, but as many fields name 123456789012 (listenerRule.listenerArn and pipeline.connectionArn) as name ${OTHER_ACCOUNT}; change the ones that are wrong`],
      [
        'someFutureSection.queueArn',
        `must be in one AWS account with the rest of the file: ${OTHER_ACCOUNT} (taskDefinition.container.secrets.DB_PASSWORD and someFutureSection.topicArn) or 123456789012 (listenerRule.listenerArn and pipeline.connectionArn), named by as many fields each`,
      ],
    ]);
  });

  test.each([
    ['the account most of its values name', {}, '123456789012'],
    ['undefined when nothing names an account (references, lookups)', { 'taskDefinition.executionRoleArn': '${var.a}', 'taskDefinition.taskRoleArn': '${var.b}', 'taskDefinition.container.image': '${var.c}', 'taskDefinition.container.secrets.DB_PASSWORD': '${var.d}', 'listenerRule.listenerArn': '${var.e}', pipeline: undefined }, undefined],
    ['undefined on a tie', { 'taskDefinition.executionRoleArn': '${var.a}', 'taskDefinition.taskRoleArn': '${var.b}', 'taskDefinition.container.image': '${var.c}', 'taskDefinition.container.secrets.DB_PASSWORD': '${var.d}', 'listenerRule.listenerArn': `arn:aws:elasticloadbalancing:ap-northeast-1:${OTHER_ACCOUNT}:listener/app/prod-alb/0123456789abcdef/0123456789abcdef` }, undefined],
  ])('fileAccount: %s', (_, set, account) => {
    expect(fileAccount(configWith(set))).toBe(account);
  });

  test.each([
    ['prod-alb-1234567890.ap-northeast-1.elb.amazonaws.com', { region: 'ap-northeast-1' }],
    ['dualstack.prod-alb-1234567890.us-east-1.elb.amazonaws.com', { region: 'us-east-1' }],
    ['internal-prod-alb-1234567890.eu-west-1.elb.amazonaws.com.', { region: 'eu-west-1' }],
    ['Prod-Alb-1.AP-NORTHEAST-1.ELB.AMAZONAWS.COM', { region: 'ap-northeast-1' }],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/stg-server:stg', { account: '123456789012', region: 'cn-north-1' }],
    ['123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server', { account: '123456789012', region: 'ap-northeast-1' }],
    ['arn:aws:iam::123456789012:role/x', { account: '123456789012', region: undefined }],
    ['arn:aws:s3:::bucket', { account: undefined, region: undefined }],
    ['arn:aws:iam::aws:policy/ReadOnlyAccess', { account: undefined, region: undefined }],
    // a region that is partly a wildcard names no one region either
    ['arn:aws:logs:us-east-*:123456789012:log-group:stg', { account: '123456789012', region: undefined }],
    ['arn:aws:logs:*-east-1:123456789012:log-group:stg', { account: '123456789012', region: undefined }],
    ['arn:aws-us-gov:ecs:us-gov-west-1:123456789012:cluster/x', { account: '123456789012', region: 'us-gov-west-1' }],
    ['stg-api.example.com', undefined],
    ['nginx:latest', undefined],
  ])('awsLocation(%s)', (value, expected) => {
    expect(awsLocation(value)).toEqual(expected);
  });

  test('at synth the error names the file, the field and both values', () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'stg-account-'));
    const file = path.join(dir, 'stg.json');
    fs.writeFileSync(file, JSON.stringify(setPath(fixtureJson('stg'), 'pipeline.connectionArn', CONNECTION.replace('123456789012', OTHER_ACCOUNT))));
    // WHEN
    const report = checkEnvironmentFile(file);
    // THEN
    expect(report.errors).toEqual([
      `${file}: pipeline.connectionArn: must be in one AWS account with the rest of the file: 123456789012 (taskDefinition.executionRoleArn) (got account ${OTHER_ACCOUNT})`,
    ]);
  });
});
