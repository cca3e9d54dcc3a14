import { PUBLIC_BY_CHOICE } from '../../constructs/marks';
import { blocks, GuardrailRule, ResourceView } from '../guardrail';
import { admitsOnlyKnownCallers } from '../../policy/access';
import { isNarrowCidr } from '../../policy/allowlist';

const LISTENER_RULE_TYPES = ['aws_lb_listener_rule', 'aws_alb_listener_rule'];

const sourceIps = (rule: ResourceView): string[] => blocks(rule.attributes.condition).flatMap((c) => blocks(c.source_ip).flatMap((s) => (s.values ?? []) as string[]));
// A range known only at apply (`${…}`) is left to plan.
const narrowOrUnknown = (cidr: string): boolean => cidr.includes('${') || isNarrowCidr(cidr);

/** The allowlist's ranges too wide to restrict anything (see WIDEST_PREFIX), e.g. 0.0.0.0/0. */
export function wideCidrs(rule: ResourceView): string[] {
  return sourceIps(rule).filter((cidr) => !narrowOrUnknown(cidr));
}

/** Whether a listener rule admits only some callers: a narrow source allowlist, a header, or a login. */
export function isRestricted(rule: ResourceView): boolean {
  return admitsOnlyKnownCallers(
    {
      allowlist: sourceIps(rule),
      header: blocks(rule.attributes.condition).some((c) => blocks(c.http_header).length > 0),
      login: blocks(rule.attributes.action).some((a) => a.type === 'authenticate-oidc' || a.type === 'authenticate-cognito'),
    },
    narrowOrUnknown,
  );
}

export const isListenerRule = (resource: ResourceView): boolean => LISTENER_RULE_TYPES.includes(resource.type);

// The staging API serves production data from the production ALB; the article left authentication "for later".
export const RestrictedAccess: GuardrailRule = {
  id: 'STG-RestrictedAccess',
  level: 'error',
  message: 'the staging listener rule must admit only known callers',
  explanation:
    'Anyone who learns the host name would reach an API backed by production data. Set listenerRule.access: sourceIps (office/VPN CIDRs), httpHeader (a shared header whose value is read from a secret), oidc or cognito. To open it anyway, set listenerRule.access.public to true.',
  suppressible: false,
  check: (resource) =>
    isListenerRule(resource) && !isRestricted(resource) && !resource.marks.includes(PUBLIC_BY_CHOICE)
      ? [
          wideCidrs(resource).length > 0
            ? { detail: 'its source_ip allowlist admits a large part of the internet (listenerRule.access.sourceIps)', value: wideCidrs(resource)[0] }
            : { detail: 'it has no source_ip or http_header condition and no authenticate action' },
        ]
      : [],
};
