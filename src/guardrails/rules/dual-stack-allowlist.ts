import { blocks, GuardrailRule } from '../guardrail';
import { isListenerRule } from './restricted-access';

const IP_ADDRESS_TYPE_CHECK = 'ip_address_type';

// An IPv4-only ALB never sees an IPv6 caller: an IPv6 allowlist entry then admits nobody. When the ALB is
// looked up, the listener rule carries a plan-time precondition on its ip_address_type; when it is given
// by ARN, nothing here can know, so the reviewer is told to check.
export const DualStackAllowlist: GuardrailRule = {
  id: 'STG-DualStackAllowlist',
  level: 'warning',
  message: 'an IPv6 allowlist entry needs a dual-stack production ALB',
  explanation:
    'listenerRule.access.sourceIps lists an IPv6 CIDR, and the ALB is given by listenerArn, so its IP address type cannot be checked at plan. Make sure the ALB is dual-stack, or the entry admits nobody; or look the ALB up with listenerRule.loadBalancer, which adds a precondition.',
  check: (resource) => {
    if (!isListenerRule(resource)) return [];
    const ipv6 = blocks(resource.attributes.condition).flatMap((c) => blocks(c.source_ip).flatMap((s) => (s.values ?? []) as string[])).filter((cidr) => cidr.includes(':'));
    const checked = blocks(resource.attributes.lifecycle?.precondition).some((p) => String(p.condition).includes(IP_ADDRESS_TYPE_CHECK));
    return ipv6.length > 0 && !checked ? [{ detail: `source_ip lists ${ipv6.join(', ')}`, value: ipv6[0] }] : [];
  },
};
