import { blocks, GuardrailRule, Violation } from '../guardrail';
import { OPEN_CIDRS } from '../../environment/rules/access';

const open = (cidrs: unknown): string | undefined => [cidrs].flat().find((c) => (OPEN_CIDRS as readonly unknown[]).includes(c)) as string | undefined;

// The staging tasks must be reached through the ALB (and its listener rule restriction), not directly.
export const OpenIngress: GuardrailRule = {
  id: 'STG-OpenIngress',
  level: 'error',
  message: 'security groups must not admit the whole internet',
  explanation: 'Ingress from 0.0.0.0/0 or ::/0 bypasses the listener rule restriction. Admit the production ALB security group (service.loadBalancerSecurityGroupId).',
  check(resource) {
    const violations: Violation[] = [];
    const attributes = resource.attributes;
    if (resource.type === 'aws_vpc_security_group_ingress_rule') {
      const cidr = open(attributes.cidr_ipv4) ?? open(attributes.cidr_ipv6);
      if (cidr) violations.push({ detail: 'ingress from anywhere', value: cidr });
    }
    if (resource.type === 'aws_security_group_rule' && attributes.type === 'ingress') {
      const cidr = open(attributes.cidr_blocks ?? []) ?? open(attributes.ipv6_cidr_blocks ?? []);
      if (cidr) violations.push({ detail: 'ingress from anywhere', value: cidr });
    }
    if (resource.type === 'aws_security_group') {
      for (const rule of blocks(attributes.ingress)) {
        const cidr = open(rule.cidr_blocks ?? []) ?? open(rule.ipv6_cidr_blocks ?? []);
        if (cidr) violations.push({ detail: 'inline ingress from anywhere', value: cidr });
      }
    }
    return violations;
  },
};
