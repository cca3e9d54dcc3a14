import { AlbListenerRule, AlbListenerRuleAction, AlbListenerRuleCondition } from '@cdktf/provider-aws/lib/alb-listener-rule';
import { Op } from 'cdktf';
import { Construct } from 'constructs';
import { ADDRESS } from '../kit/defaults';
import { markResource, PUBLIC_BY_CHOICE } from './marks';
import { isCidr } from '../aws/cidr';
import { chunkCidrs, HOST_HEADER_RULE, isValidHostHeader, PRIORITY, priorityRoom } from '../aws/elb';
import { requireValid } from './validate';
import { adopt, AdoptionProps } from './adoption';

/** Who may reach staging. At least one restriction, or `public: true`. */
export interface ListenerRuleAccess {
  /**
   * Caller CIDRs. A list longer than one rule holds spreads over consecutive priorities.
   * @default - no allowlist
   */
  readonly sourceIps?: readonly string[];
  /**
   * A header the caller must send with exactly this value (e.g. set by a proxy or CloudFront).
   * @default - no header condition
   */
  readonly httpHeader?: { readonly name: string; readonly value: string };
  /**
   * An OIDC login before the forward. Needs an HTTPS listener.
   * @default - none
   */
  readonly oidc?: {
    readonly issuer: string;
    readonly authorizationEndpoint: string;
    readonly tokenEndpoint: string;
    readonly userInfoEndpoint: string;
    readonly clientId: string;
    readonly clientSecret: string;
  };
  /**
   * A Cognito login before the forward. Needs an HTTPS listener.
   * @default - none
   */
  readonly cognito?: { readonly userPoolArn: string; readonly userPoolClientId: string; readonly userPoolDomain: string };
  /**
   * Open to everyone, on purpose. A guardrail warns on every synth.
   * @default false
   */
  readonly public?: boolean;
}

export interface ListenerRuleProps extends AdoptionProps {
  /** The existing production listener. It is referenced, never managed. */
  readonly listenerArn: string;
  /** Rule priority on that listener; unique per listener. Extra allowlist rules take the next ones. */
  readonly priority: number;
  /** Host name that routes to staging, e.g. "stg-api.example.com". */
  readonly hostHeader: string;
  /** Target group that receives the matching requests. */
  readonly targetGroupArn: string;
  /**
   * Who may reach staging.
   * @default - nobody is restricted; the STG-RestrictedAccess guardrail then fails synth
   */
  readonly access?: ListenerRuleAccess;
  /**
   * The listener's protocol, when it is looked up: a login action then gets a plan-time precondition
   * that the listener is HTTPS (ALB accepts authenticate actions only there).
   * @default - no precondition (a listener given by ARN has an unknown protocol)
   */
  readonly listenerProtocol?: string;
  /**
   * The ALB's IP address type, read at plan: an allowlist holding IPv6 CIDRs then gets a precondition
   * that the ALB is dual-stack (an IPv4-only ALB never sees an IPv6 caller, so the entry would do nothing).
   * @default - no precondition
   */
  readonly albIpAddressType?: string;
}

/**
 * Article section 5: `aws_alb_listener_rule.stg_server_rule`, the only change made to the
 * production load balancer, plus the access restriction the article left "for later".
 * The article's resource type (`aws_alb_*`) is kept for its address.
 */
export class ListenerRule extends Construct {
  /** The article's rule. */
  public readonly resource: AlbListenerRule;
  /** Every rule: the article's, then one per further allowlist chunk (priority + 1, + 2, …). */
  public readonly resources: AlbListenerRule[];

  constructor(scope: Construct, id: string, props: ListenerRuleProps) {
    super(scope, id);
    requireValid(this, 'priority', props.priority, (p) => Number.isInteger(p) && p >= PRIORITY.min && p <= PRIORITY.max, `must be an integer from ${PRIORITY.min} to ${PRIORITY.max}`);
    requireValid(this, 'hostHeader', props.hostHeader, isValidHostHeader, HOST_HEADER_RULE);
    const access = props.access ?? {};
    // AWS's shape only: how wide an allowlist may be is the STG-RestrictedAccess guardrail's to judge.
    for (const cidr of access.sourceIps ?? []) requireValid(this, 'access.sourceIps', cidr, isCidr, 'must be an IPv4 or IPv6 CIDR');

    const chunks = chunkCidrs(access.sourceIps ?? [], access.httpHeader !== undefined);
    requireValid(this, 'priority', props.priority, (p) => priorityRoom(p, chunks.length), `must leave room for ${chunks.length} consecutive rules below ${PRIORITY.max + 1}`);
    this.resources = chunks.map((cidrs, index) => {
      const login = access.oidc !== undefined || access.cognito !== undefined;
      const rule = new AlbListenerRule(this, index === 0 ? 'Resource' : `Resource${index + 1}`, {
        listenerArn: props.listenerArn,
        priority: props.priority + index,
        action: actions(access, props.targetGroupArn),
        condition: conditions(props.hostHeader, access, cidrs),
        lifecycle: preconditions([
          login && props.listenerProtocol !== undefined && {
            condition: Op.eq(props.listenerProtocol, 'HTTPS'),
            errorMessage: 'The staging login (oidc or cognito) needs an HTTPS listener: listenerRule.loadBalancer.listenerPort must be the ALB’s HTTPS listener.',
          },
          cidrs.some((cidr) => cidr.includes(':')) && props.albIpAddressType !== undefined && {
            condition: Op.neq(props.albIpAddressType, 'ipv4'),
            errorMessage: 'listenerRule.access.sourceIps lists IPv6 CIDRs, but the production ALB is IPv4-only: no caller reaches it over IPv6, so those entries would admit nobody. Make the ALB dual-stack, or list IPv4 CIDRs.',
          },
        ]),
      });
      rule.overrideLogicalId(index === 0 ? ADDRESS.listenerRule : `${ADDRESS.listenerRule}_${index + 1}`);
      if (access.public === true) markResource(rule, PUBLIC_BY_CHOICE);
      return rule;
    });
    this.resource = this.resources[0];
    // the first rule is the article's address; the others are the kit's
    adopt(this.resource, props);
  }
}

/** Host header first, as in the article; then the header and the allowlist chunk. Conditions are ANDed. */
function conditions(hostHeader: string, access: ListenerRuleAccess, cidrs: string[]): AlbListenerRuleCondition[] {
  return [
    { hostHeader: { values: [hostHeader] } },
    ...(access.httpHeader ? [{ httpHeader: { httpHeaderName: access.httpHeader.name, values: [access.httpHeader.value] } }] : []),
    ...(cidrs.length > 0 ? [{ sourceIp: { values: cidrs } }] : []),
  ];
}

/** A login action (if any) runs first, then the forward. */
function actions(access: ListenerRuleAccess, targetGroupArn: string): AlbListenerRuleAction[] {
  const forward: AlbListenerRuleAction = { type: 'forward', targetGroupArn };
  if (access.oidc) return [{ type: 'authenticate-oidc', order: 1, authenticateOidc: { ...access.oidc } }, { ...forward, order: 2 }];
  if (access.cognito) return [{ type: 'authenticate-cognito', order: 1, authenticateCognito: { ...access.cognito } }, { ...forward, order: 2 }];
  return [forward];
}

/** A lifecycle with the preconditions that apply (`false` entries do not), or none. */
function preconditions(candidates: readonly (false | { condition: unknown; errorMessage: string })[]): { precondition: { condition: unknown; errorMessage: string }[] } | undefined {
  const precondition = candidates.filter((candidate): candidate is { condition: unknown; errorMessage: string } => candidate !== false);
  return precondition.length > 0 ? { precondition } : undefined;
}
