import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LogGroup } from '../../src/constructs/log-group';
import { synthScope } from '../support/synth';
import '../support/cdktf-matchers';

const KMS_KEY = 'arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function imports(json: string): unknown[] | undefined {
  return (JSON.parse(json) as { import?: unknown[] }).import;
}

describe('LogGroup', () => {
  test('defaults: a 30-day retention, CloudWatch-owned keys, created (not imported)', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new LogGroup(scope, 'LogGroup', { name: 'stg-server' });
    });
    // THEN
    expect(synth.addresses()).toEqual(['aws_cloudwatch_log_group.stg_server']);
    expect(synth.resource('aws_cloudwatch_log_group', 'stg_server')).toEqual({ name: 'stg-server', retention_in_days: 30 });
    expect(imports(synth.json)).toBeUndefined();
  });

  test('a given retention and KMS key are written', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new LogGroup(scope, 'LogGroup', { name: 'preview-server', retentionInDays: 365, kmsKeyArn: KMS_KEY });
    });
    // THEN
    expect(synth.json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: 'preview-server', retention_in_days: 365, kms_key_id: KMS_KEY });
  });

  test('importId imports the existing group (by its name) into the managed address', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new LogGroup(scope, 'LogGroup', { name: 'stg-server', importId: 'stg-server' });
    });
    // THEN a Terraform `import` block, and the resource is still managed (with its retention)
    expect(imports(synth.json)).toEqual([{ to: 'aws_cloudwatch_log_group.stg_server', id: 'stg-server' }]);
    expect(synth.resource('aws_cloudwatch_log_group', 'stg_server').retention_in_days).toBe(30);
  });

  test('without adoption props nothing is imported or moved', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new LogGroup(scope, 'LogGroup', { name: 'stg-server' });
    });
    // THEN
    expect(imports(synth.json)).toBeUndefined();
    expect(synth.addresses()).toEqual(['aws_cloudwatch_log_group.stg_server']);
  });
});

describe('LogGroup props validation', () => {
  test.each([[0], [10], [-1], [31]])('a retention of %d days CloudWatch Logs does not offer fails at synth', (days) => {
    expect(() => synthScope((scope) => new LogGroup(scope, 'LogGroup', { name: 'stg-server', retentionInDays: days }))).toThrow(
      new RegExp(`LogGroup: retentionInDays: must be one of 1, 3, 5, .*, 3653 \\(got ${days}\\)`),
    );
  });
});
