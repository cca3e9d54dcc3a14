import { DataAwsLbListener } from '@cdktf/provider-aws/lib/data-aws-lb-listener';
import { DataAwsLb } from '@cdktf/provider-aws/lib/data-aws-lb';
import { AlbListenerRule } from '@cdktf/provider-aws/lib/alb-listener-rule';
import { ListenerRule, ListenerRuleAccess, ListenerRuleProps } from '../../src/constructs/listener-rule';
import { synthScope } from '../support/synth';
import '../support/cdktf-matchers';

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

function ruleProps(access: ListenerRuleAccess): ListenerRuleProps {
  return { listenerArn: LISTENER, priority: 100, hostHeader: 'stg-api.example.com', targetGroupArn: TARGET_GROUP, access };
}

const HOST_CONDITION = { host_header: { values: ['stg-api.example.com'] } };
const FIVE_CIDRS = ['203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/24', '10.0.0.0/8', '2001:db8::/32'];

describe('ListenerRule access', () => {
  test('an allowlist and a header become conditions: host header first, then http_header, then source_ip', () => {
    // GIVEN
    const access = { sourceIps: ['203.0.113.0/24'], httpHeader: { name: 'X-Staging-Key', value: '${data.aws_ssm_parameter.access_header.value}' } };
    // WHEN
    const synth = synthScope((scope) => new ListenerRule(scope, 'ListenerRule', ruleProps(access)));
    // THEN one rule, with the three conditions in that order
    expect(synth.addresses()).toEqual(['aws_alb_listener_rule.stg_server_rule']);
    expect(synth.resource('aws_alb_listener_rule', 'stg_server_rule').condition).toEqual([
      HOST_CONDITION,
      { http_header: { http_header_name: 'X-Staging-Key', values: ['${data.aws_ssm_parameter.access_header.value}'] } },
      { source_ip: { values: ['203.0.113.0/24'] } },
    ]);
  });

  test('five CIDRs with no header spread over two rules at consecutive priorities, four and one', () => {
    // GIVEN five CIDRs: the host header takes one of the five condition values, so four fit a rule
    // WHEN
    const synth = synthScope((scope) => new ListenerRule(scope, 'ListenerRule', ruleProps({ sourceIps: FIVE_CIDRS })));
    // THEN the article's address, then "_2" at the next priority, each with the host header
    expect(synth.addresses().sort()).toEqual(['aws_alb_listener_rule.stg_server_rule', 'aws_alb_listener_rule.stg_server_rule_2']);
    const first = synth.resource('aws_alb_listener_rule', 'stg_server_rule');
    const second = synth.resource('aws_alb_listener_rule', 'stg_server_rule_2');
    expect(first.priority).toBe(100);
    expect(second.priority).toBe(101);
    expect(first.condition).toEqual([HOST_CONDITION, { source_ip: { values: FIVE_CIDRS.slice(0, 4) } }]);
    expect(second.condition).toEqual([HOST_CONDITION, { source_ip: { values: FIVE_CIDRS.slice(4) } }]);
    // and both forward to the same target group on the same listener
    for (const rule of [first, second]) {
      expect(rule.listener_arn).toBe(LISTENER);
      expect(rule.action).toEqual([{ type: 'forward', target_group_arn: TARGET_GROUP }]);
    }
  });

  test('with a header condition a rule holds three CIDRs, and every rule carries the header', () => {
    // GIVEN
    const httpHeader = { name: 'X-Staging-Key', value: '${data.aws_ssm_parameter.access_header.value}' };
    // WHEN
    const synth = synthScope((scope) => new ListenerRule(scope, 'ListenerRule', ruleProps({ sourceIps: FIVE_CIDRS, httpHeader })));
    // THEN 3 + 2
    const header = { http_header: { http_header_name: 'X-Staging-Key', values: [httpHeader.value] } };
    expect(synth.addresses().sort()).toEqual(['aws_alb_listener_rule.stg_server_rule', 'aws_alb_listener_rule.stg_server_rule_2']);
    expect(synth.resource('aws_alb_listener_rule', 'stg_server_rule').condition).toEqual([HOST_CONDITION, header, { source_ip: { values: FIVE_CIDRS.slice(0, 3) } }]);
    expect(synth.resource('aws_alb_listener_rule', 'stg_server_rule_2').condition).toEqual([HOST_CONDITION, header, { source_ip: { values: FIVE_CIDRS.slice(3) } }]);
    expect(synth.resource('aws_alb_listener_rule', 'stg_server_rule_2').priority).toBe(101);
  });

  test('an OIDC login runs before the forward, with the client secret passed through', () => {
    // GIVEN a client secret that is a Terraform reference, as SecretValue gives it
    const oidc = {
      issuer: 'https://login.example.com',
      authorizationEndpoint: 'https://login.example.com/authorize',
      tokenEndpoint: 'https://login.example.com/token',
      userInfoEndpoint: 'https://login.example.com/userinfo',
      clientId: 'staging-api',
      clientSecret: '${data.aws_secretsmanager_secret_version.oidc_client.secret_string}',
    };
    // WHEN
    const synth = synthScope((scope) => new ListenerRule(scope, 'ListenerRule', ruleProps({ oidc })));
    // THEN
    const rule = synth.resource('aws_alb_listener_rule', 'stg_server_rule');
    expect(rule.action).toEqual([
      {
        type: 'authenticate-oidc',
        order: 1,
        authenticate_oidc: {
          issuer: oidc.issuer,
          authorization_endpoint: oidc.authorizationEndpoint,
          token_endpoint: oidc.tokenEndpoint,
          user_info_endpoint: oidc.userInfoEndpoint,
          client_id: 'staging-api',
          client_secret: oidc.clientSecret,
        },
      },
      { type: 'forward', order: 2, target_group_arn: TARGET_GROUP },
    ]);
    // and the login adds no condition
    expect(rule.condition).toEqual([HOST_CONDITION]);
  });

  test('a Cognito login runs before the forward', () => {
    // GIVEN
    const cognito = {
      userPoolArn: 'arn:aws:cognito-idp:ap-northeast-1:123456789012:userpool/ap-northeast-1_AbCdEfGhI',
      userPoolClientId: '1example23456789',
      userPoolDomain: 'stg-login',
    };
    // WHEN
    const synth = synthScope((scope) => new ListenerRule(scope, 'ListenerRule', ruleProps({ cognito })));
    // THEN
    expect(synth.resource('aws_alb_listener_rule', 'stg_server_rule').action).toEqual([
      {
        type: 'authenticate-cognito',
        order: 1,
        authenticate_cognito: { user_pool_arn: cognito.userPoolArn, user_pool_client_id: cognito.userPoolClientId, user_pool_domain: 'stg-login' },
      },
      { type: 'forward', order: 2, target_group_arn: TARGET_GROUP },
    ]);
  });

  test('public: true marks the rule as open by choice; a restricted rule carries no mark', () => {
    // GIVEN
    const marks = (rule: ListenerRule) => rule.resource.node.metadata.filter((entry) => entry.type === 'staging:guardrail-mark').map((entry) => entry.data);
    let open: ListenerRule | undefined;
    let restricted: ListenerRule | undefined;
    // WHEN
    synthScope((scope) => {
      open = new ListenerRule(scope, 'Open', ruleProps({ public: true }));
      restricted = new ListenerRule(scope, 'Restricted', { ...ruleProps({ sourceIps: ['203.0.113.0/24'] }), priority: 200 });
    });
    // THEN
    expect(marks(open!)).toEqual(['public-by-choice']);
    expect(marks(restricted!)).toEqual([]);
  });

  test('public: true with a long allowlist marks every rule', () => {
    // GIVEN
    let rule: ListenerRule | undefined;
    // WHEN
    synthScope((scope) => {
      rule = new ListenerRule(scope, 'ListenerRule', ruleProps({ public: true, sourceIps: FIVE_CIDRS }));
    });
    // THEN
    expect(rule!.resources).toHaveLength(2);
    for (const resource of rule!.resources) {
      expect(resource.node.metadata.filter((entry) => entry.type === 'staging:guardrail-mark').map((entry) => entry.data)).toEqual(['public-by-choice']);
    }
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

  test.each([['10.0.0.0/33'], ['203.0.113.0'], ['2001:db8::/129'], ['office']])('an invalid allowlist CIDR %s fails at synth, naming the field', (cidr) => {
    // GIVEN one bad CIDR among good ones
    const props = ruleProps({ sourceIps: ['203.0.113.0/24', cidr] });
    // THEN
    expect(() => synthScope((scope) => new ListenerRule(scope, 'ListenerRule', props))).toThrow(
      new RegExp(`ListenerRule: access\\.sourceIps: must be an IPv4 or IPv6 CIDR \\(got "${cidr.replace(/[./]/g, '\\$&')}"\\)`),
    );
  });

  test('an allowlist whose extra rules would pass priority 50000 fails at synth', () => {
    // GIVEN five CIDRs (two rules) at the last priority
    const props = { ...ruleProps({ sourceIps: FIVE_CIDRS }), priority: 50000 };
    // THEN
    expect(() => synthScope((scope) => new ListenerRule(scope, 'ListenerRule', props))).toThrow(/priority: must leave room for 2 consecutive rules below 50001 \(got 50000\)/);
  });
});

describe('ListenerRule login and the listener protocol', () => {
  const cognito = { userPoolArn: 'arn:aws:cognito-idp:ap-northeast-1:123456789012:userpool/ap-northeast-1_AbCdEf123', userPoolClientId: 'abc123', userPoolDomain: 'stg-login' };

  test('a login on a looked-up listener gets a plan-time precondition that the listener is HTTPS', () => {
    // GIVEN / WHEN
    const synth = synthScope((scope) => {
      const listener = new DataAwsLbListener(scope, 'Listener', { arn: LISTENER });
      listener.overrideLogicalId('production');
      new ListenerRule(scope, 'ListenerRule', { ...ruleProps({ cognito }), listenerProtocol: listener.protocol });
    });
    // THEN
    expect(synth.resource('aws_alb_listener_rule', 'stg_server_rule').lifecycle.precondition).toEqual([
      { condition: '${(data.aws_lb_listener.production.protocol == "HTTPS")}', error_message: expect.stringMatching(/needs an HTTPS listener/) },
    ]);
  });

  test('no precondition without a login, or when the protocol is unknown (a listener given by ARN)', () => {
    // GIVEN / WHEN
    const allowlist = synthScope((scope) => {
      const listener = new DataAwsLbListener(scope, 'Listener', { arn: LISTENER });
      new ListenerRule(scope, 'ListenerRule', { ...ruleProps({ sourceIps: ['203.0.113.0/24'] }), listenerProtocol: listener.protocol });
    });
    const byArn = synthScope((scope) => new ListenerRule(scope, 'ListenerRule', ruleProps({ cognito })));
    // THEN
    expect(allowlist.resource('aws_alb_listener_rule', 'stg_server_rule').lifecycle).toBeUndefined();
    expect(byArn.resource('aws_alb_listener_rule', 'stg_server_rule').lifecycle).toBeUndefined();
  });
});

describe('ListenerRule IPv6 allowlist and the ALB’s IP address type', () => {
  const lookedUp = (sourceIps: string[]) =>
    synthScope((scope) => {
      const alb = new DataAwsLb(scope, 'LoadBalancer', { name: 'prod-alb' });
      alb.overrideLogicalId('production');
      new ListenerRule(scope, 'ListenerRule', { ...ruleProps({ sourceIps }), albIpAddressType: alb.ipAddressType });
    });

  test('an IPv6 entry on a looked-up ALB gets a plan-time precondition that the ALB is not IPv4-only', () => {
    // GIVEN / WHEN
    const synth = lookedUp(['203.0.113.0/24', '2001:db8::/32']);
    // THEN
    expect(synth.resource('aws_alb_listener_rule', 'stg_server_rule').lifecycle.precondition).toEqual([
      { condition: '${(data.aws_lb.production.ip_address_type != "ipv4")}', error_message: expect.stringMatching(/IPv6 CIDRs, but the production ALB is IPv4-only/) },
    ]);
  });

  test('only the rule holding the IPv6 entry gets it: an IPv4 chunk needs none', () => {
    // GIVEN five CIDRs: four IPv4 in the first rule, the IPv6 one in the second
    const synth = lookedUp(FIVE_CIDRS);
    // THEN
    expect(synth.resource('aws_alb_listener_rule', 'stg_server_rule').lifecycle).toBeUndefined();
    expect(synth.resource('aws_alb_listener_rule', 'stg_server_rule_2').lifecycle.precondition).toHaveLength(1);
  });
});
