import { AlbListenerRule } from '@cdktf/provider-aws/lib/alb-listener-rule';
import { Construct } from 'constructs';
import { ADDRESS } from '../defaults';
import { HOST_HEADER_RULE, isValidHostHeader, PRIORITY } from '../environment/rules/listener-rule';
import { requireValid } from './validate';

export interface ListenerRuleProps {
  /** The existing production listener. It is referenced, never managed. */
  readonly listenerArn: string;
  /** Rule priority on that listener; unique per listener. */
  readonly priority: number;
  /** Host name that routes to staging, e.g. "stg-api.example.com". */
  readonly hostHeader: string;
  /** Target group that receives the matching requests. */
  readonly targetGroupArn: string;
}

/**
 * Article section 5: `aws_alb_listener_rule.stg_server_rule`, the only change made to the
 * production load balancer. The article's resource type (`aws_alb_*`) is kept for its address.
 */
export class ListenerRule extends Construct {
  public readonly resource: AlbListenerRule;

  constructor(scope: Construct, id: string, props: ListenerRuleProps) {
    super(scope, id);
    requireValid(this, 'priority', props.priority, (p) => Number.isInteger(p) && p >= PRIORITY.min && p <= PRIORITY.max, `must be an integer from ${PRIORITY.min} to ${PRIORITY.max}`);
    requireValid(this, 'hostHeader', props.hostHeader, isValidHostHeader, HOST_HEADER_RULE);
    this.resource = new AlbListenerRule(this, 'Resource', {
      listenerArn: props.listenerArn,
      priority: props.priority,
      action: [{ type: 'forward', targetGroupArn: props.targetGroupArn }],
      condition: [{ hostHeader: { values: [props.hostHeader] } }],
    });
    this.resource.overrideLogicalId(ADDRESS.listenerRule);
  }
}
