import { GuardrailRule } from '../guardrail';

// The production side that staging only refers to. Managing one would let `terraform destroy` of staging delete it.
export const PRODUCTION_SIDE_TYPES = /^aws_(lb|alb|lb_listener|alb_listener|route53_zone|vpc|subnet|db_.+|rds_.+|ecr_repository)$/;

export const ProductionResource: GuardrailRule = {
  id: 'STG-ProductionResource',
  level: 'error',
  message: 'the staging stack must not manage production-side resources',
  explanation:
    'Load balancers, listeners, hosted zones, VPCs, subnets, databases and the ECR repository belong to production; staging refers to them by ID or lookup. A staging destroy would otherwise delete them.',
  check: (resource) => (PRODUCTION_SIDE_TYPES.test(resource.type) ? [{ detail: `${resource.type} is production-side`, value: resource.address }] : []),
};
