import { blocks, GuardrailRule, Violation } from '../guardrail';
import { isNarrowCidr } from '../../policy/allowlist';

// Any range wider than an allowlist may hold counts as the internet (0.0.0.0/0, but also 0.0.0.0/1).
// Takes a range, a list of them, or nothing (an absent argument): no range, no finding.
const open = (cidrs: unknown): string | undefined =>
  [cidrs].flat().find((c) => typeof c === 'string' && c.includes('/') && !c.includes('${') && !isNarrowCidr(c)) as string | undefined;

// The staging tasks must be reached through the ALB (and its listener rule restriction), not directly.
export const OpenIngress: GuardrailRule = {
  id: 'STG-OpenIngress',
  level: 'error',
  message: 'security groups must not admit the internet',
  explanation: 'Ingress from 0.0.0.0/0, ::/0 or any range wider than a /8 (IPv4) or /32 (IPv6) bypasses the listener rule restriction. Admit the production ALB security group (service.loadBalancerSecurityGroupId).',
  check(resource) {
    const violations: Violation[] = [];
    const attributes = resource.attributes;
    if (resource.type === 'aws_vpc_security_group_ingress_rule') {
      const cidr = open(attributes.cidr_ipv4) ?? open(attributes.cidr_ipv6);
      if (cidr) violations.push({ detail: 'ingress from anywhere', value: cidr });
    }
    if (resource.type === 'aws_security_group_rule' && attributes.type === 'ingress') {
      const cidr = open(attributes.cidr_blocks) ?? open(attributes.ipv6_cidr_blocks);
      if (cidr) violations.push({ detail: 'ingress from anywhere', value: cidr });
    }
    // a VPC's default group takes inline rules the same way (Terraform manages, never creates, it)
    if (resource.type === 'aws_security_group' || resource.type === 'aws_default_security_group') {
      for (const rule of blocks(attributes.ingress)) {
        const cidr = open(rule.cidr_blocks) ?? open(rule.ipv6_cidr_blocks);
        if (cidr) violations.push({ detail: 'inline ingress from anywhere', value: cidr });
      }
    }
    return violations;
  },
};
