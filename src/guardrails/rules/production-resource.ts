import { CLONE_MARK } from '../../constructs/clone-database';
import { GuardrailRule } from '../guardrail';

// The production side that staging only refers to. Managing one would let `terraform destroy` of staging delete it.
export const PRODUCTION_SIDE_TYPES = /^aws_(lb|alb|lb_listener|alb_listener|route53_zone|vpc|subnet|db_.+|rds_.+|ecr_repository)$/;

/** The types a copy-on-write clone of staging's own is made of; STG-CloneIdentity checks that it is one. */
export const CLONE_TYPES = new Set(['aws_rds_cluster', 'aws_rds_cluster_instance', 'aws_db_subnet_group']);

export const ProductionResource: GuardrailRule = {
  id: 'STG-ProductionResource',
  level: 'error',
  message: 'the staging stack must not manage production-side resources',
  explanation:
    'Load balancers, listeners, hosted zones, VPCs, subnets, databases and the ECR repository belong to production; staging refers to them by ID or lookup. A staging destroy would otherwise delete them. The one database a stack may manage is a copy-on-write clone of its own (service.database.access "clone"), marked so by CloneDatabase and checked by STG-CloneIdentity.',
  check: (resource) =>
    PRODUCTION_SIDE_TYPES.test(resource.type) && !(CLONE_TYPES.has(resource.type) && resource.marks.includes(CLONE_MARK.clone))
      ? [{ detail: `${resource.type} is production-side`, value: resource.address }]
      : [],
};
