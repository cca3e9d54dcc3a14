import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Testing } from 'cdktf';
import * as path from 'node:path';
import { StagingStack } from '../src/stack/staging-stack';
import { fixtureConfig } from './support/synth';

function synthStack(config = fixtureConfig()) {
  const app = Testing.app();
  const stack = new StagingStack(app, 'stg', { config });
  return { app, json: JSON.parse(Testing.synth(stack)) };
}

describe('StagingStack', () => {
  test('without a backend section: a local state file beside the project, by a relative path', () => {
    // GIVEN / WHEN
    const { app, json } = synthStack();
    // THEN the path resolves from the stack's working directory to ./terraform.stg.tfstate
    const local = json.terraform.backend.local.path;
    expect(path.isAbsolute(local)).toBe(false);
    expect(path.resolve(app.outdir, 'stacks', 'stg', local)).toBe(path.resolve('terraform.stg.tfstate'));
  });

  test('a backend section gives S3 with encryption and native locking (use_lockfile), and no DynamoDB table', () => {
    // GIVEN
    const config = { ...fixtureConfig(), backend: { bucket: 'example-tfstate' } };
    // WHEN
    const { json } = synthStack(config);
    // THEN
    expect(json.terraform.backend).toEqual({
      s3: { bucket: 'example-tfstate', key: 'staging/stg.tfstate', region: 'ap-northeast-1', encrypt: true, use_lockfile: true },
    });
  });

  test('a KMS key and another region reach the S3 backend', () => {
    // GIVEN
    const kmsKeyId = 'arn:aws:kms:us-east-1:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab';
    const config = { ...fixtureConfig(), backend: { bucket: 'example-tfstate', key: 'teams/api/stg.tfstate', region: 'us-east-1' as const, kmsKeyId } };
    // WHEN
    const { json } = synthStack(config);
    // THEN
    expect(json.terraform.backend.s3).toMatchObject({ key: 'teams/api/stg.tfstate', region: 'us-east-1', kms_key_id: kmsKeyId, encrypt: true });
  });
});

describe('StagingStack, once rendered', () => {
  test('the JSON is resolved once: a second render returns the same document', () => {
    // GIVEN
    const stack = new StagingStack(Testing.app(), 'stg', { config: fixtureConfig() });
    // WHEN
    const first = stack.toTerraform();
    // THEN
    expect(stack.toTerraform()).toBe(first);
  });

  test('a construct added afterwards throws, rather than being left out of the JSON the guardrails read and synth writes', () => {
    // GIVEN a stack the guardrails (or synth) have rendered
    const stack = new StagingStack(Testing.app(), 'stg', { config: fixtureConfig() });
    stack.toTerraform();
    // WHEN / THEN
    expect(() => new CloudwatchLogGroup(stack, 'late', { name: 'late' })).toThrow('Cannot add children to "stg" during synthesis');
    const nested = stack.node.children.find((child) => child.node.children.length > 0)!;
    expect(() => new CloudwatchLogGroup(nested, 'late', { name: 'late' })).toThrow(`Cannot add children to "${nested.node.path}" during synthesis`);
  });

  test('control: before it is rendered, constructs can be added, and they are in the JSON', () => {
    // GIVEN
    const stack = new StagingStack(Testing.app(), 'stg', { config: fixtureConfig() });
    // WHEN
    new CloudwatchLogGroup(stack, 'extra', { name: 'extra' });
    // THEN
    expect(stack.toTerraform().resource.aws_cloudwatch_log_group.extra).toMatchObject({ name: 'extra' });
  });
});
