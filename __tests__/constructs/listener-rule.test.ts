import { AlbListenerRule } from '@cdktf/provider-aws/lib/alb-listener-rule';
import { ListenerRule } from '../../src/constructs/listener-rule';
import { synthScope } from '../support/synth';

const LISTENER = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef';
const TARGET_GROUP = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/stg-server-target/0123456789abcdef';

describe('ListenerRule', () => {
  test('forwards the staging host to the target group, as in the article, section 5', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new ListenerRule(scope, 'ListenerRule', {
        listenerArn: LISTENER,
        priority: 100,
        hostHeader: 'stg-api.example.com',
        targetGroupArn: TARGET_GROUP,
      });
    });

    // THEN the article's resource type and address, on the existing listener
    expect(synth.addresses()).toEqual(['aws_alb_listener_rule.stg_server_rule']);
    expect(synth.json).toHaveResourceWithProperties(AlbListenerRule, {
      listener_arn: LISTENER,
      priority: 100,
      action: [expect.objectContaining({ type: 'forward', target_group_arn: TARGET_GROUP })],
      condition: [expect.objectContaining({ host_header: expect.objectContaining({ values: ['stg-api.example.com'] }) })],
    });
  });
});

describe('ListenerRule props validation', () => {
  test.each([
    ['priority', { priority: 0 }, /priority: must be an integer from 1 to 50000 \(got 0\)/],
    ['hostHeader', { hostHeader: 'localhost' }, /hostHeader: must be a host name .*\(got "localhost"\)/],
  ])('an invalid %s fails at synth', (_field, change, message) => {
    const props = { listenerArn: LISTENER, priority: 100, hostHeader: 'stg-api.example.com', targetGroupArn: TARGET_GROUP, ...change };
    expect(() => synthScope((scope) => new ListenerRule(scope, 'ListenerRule', props))).toThrow(message);
  });
});
