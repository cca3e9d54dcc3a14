import { Token } from 'cdktf';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { TargetGroup } from '../../src/constructs/target-group';
import { synthScope } from '../support/synth';
import '../support/cdktf-matchers';

describe('TargetGroup', () => {
  test('defaults reproduce the article, section 2, with a valid name', () => {
    // GIVEN only the VPC
    // WHEN
    const synth = synthScope((scope) => {
      new TargetGroup(scope, 'TargetGroup', { vpcId: 'vpc-0123456789abcdef0' });
    });

    // THEN
    expect(synth.addresses()).toEqual(['aws_lb_target_group.stg_server_target']);
    expect(synth.json).toHaveResourceWithProperties(LbTargetGroup, {
      name: 'stg-server-target',
      port: 1323,
      target_type: 'ip',
      protocol: 'HTTP',
      vpc_id: 'vpc-0123456789abcdef0',
      health_check: expect.objectContaining({
        path: '/healthcheck',
        interval: 30,
        timeout: 5,
        healthy_threshold: 5,
        unhealthy_threshold: 2,
      }),
    });
    // 30 s, not AWS's 300 s (which the article leaves), so that a deploy fits in the pipeline's wait
    expect(synth.resource('aws_lb_target_group', 'stg_server_target').deregistration_delay).toBe('30');
  });

  test('given values replace the defaults', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new TargetGroup(scope, 'TargetGroup', {
        name: 'preview-target',
        port: 8080,
        vpcId: 'vpc-0123456789abcdef0',
        deregistrationDelay: 30,
        healthCheck: { path: '/health', interval: 10, timeout: 3, healthyThreshold: 2, unhealthyThreshold: 3, matcher: '200-299' },
      });
    });

    // THEN
    expect(synth.resource('aws_lb_target_group', 'stg_server_target')).toMatchObject({
      name: 'preview-target',
      port: 8080,
      deregistration_delay: '30',
      health_check: { path: '/health', interval: 10, timeout: 3, healthy_threshold: 2, unhealthy_threshold: 3, matcher: '200-299' },
    });
  });
});

describe('TargetGroup props validation', () => {
  test('an invalid name or a timeout not below the interval fails at synth, naming the construct and field', () => {
    expect(() => synthScope((scope) => new TargetGroup(scope, 'TargetGroup', { vpcId: 'vpc-0123456789abcdef0', name: 'stg_server_target' }))).toThrow(
      /TargetGroup: name: must be 1–32 letters, digits or hyphens.*\(got "stg_server_target"\)/,
    );
    expect(() => synthScope((scope) => new TargetGroup(scope, 'TargetGroup', { vpcId: 'vpc-0123456789abcdef0', healthCheck: { timeout: 30 } }))).toThrow(
      /healthCheck.timeout: must be less than the interval \(30\) \(got 30\)/,
    );
  });

  test('a token is not checked: its value is known only at apply', () => {
    expect(() => synthScope((scope) => new TargetGroup(scope, 'TargetGroup', { vpcId: 'vpc-0123456789abcdef0', name: Token.asString({ Ref: 'name' }) }))).not.toThrow();
  });
});
