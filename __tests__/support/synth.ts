import { Testing } from 'cdktf';
import * as path from 'node:path';
import { IConstruct } from 'constructs';
import { loadEnvironmentFile } from '../../src/environment/load';
import { EnvironmentConfig } from '../../src/environment/schema';

import { FIXTURE_ENVIRONMENTS_DIR } from './paths';

export { FIXTURE_ENVIRONMENTS_DIR, FIXTURE_FILE, PROJECT_ROOT, TEAM_FIXTURES_DIR } from './paths';

/** A fixture environment (default stg), parsed and validated. */
export function fixtureConfig(name = 'stg'): EnvironmentConfig {
  const result = loadEnvironmentFile(path.join(FIXTURE_ENVIRONMENTS_DIR, `${name}.json`));
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.environment.config;
}

export interface SynthesizedScope {
  /** The raw JSON string, for cdktf's jest matchers. */
  readonly json: string;
  /** The arguments of one resource (snake_case, as Terraform sees them). */
  resource(type: string, name: string): Record<string, any>;
  /** Every resource address, e.g. "aws_ecs_cluster.stg_ecs_cluster". */
  addresses(): string[];
}

/** Synthesizes whatever `build` adds to a test stack. */
export function synthScope(build: (scope: IConstruct) => void): SynthesizedScope {
  const json = Testing.synthScope(build);
  const parsed = JSON.parse(json) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  const resources = parsed.resource ?? {};
  return {
    json,
    resource(type, name) {
      const found = resources[type]?.[name];
      if (!found) throw new Error(`${type}.${name} not synthesized; have: ${Object.keys(resources).join(', ')}`);
      return found;
    },
    addresses() {
      return Object.entries(resources).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
    },
  };
}

/** The article's seven addresses, written out as the article has them (not derived from the code under test). */
export const ARTICLE_ADDRESSES = [
  'aws_alb_listener_rule.stg_server_rule',
  'aws_ecr_lifecycle_policy.stg-server-lifecycle_policy',
  'aws_ecs_cluster.stg_ecs_cluster',
  'aws_ecs_service.stg_server',
  'aws_ecs_task_definition.stg_server',
  'aws_lb_target_group.stg_server_target',
  'aws_route53_record.stg_server',
];

/** What the stg example adds beyond the article's seven: its log group, its tasks' security group, its delivery pipeline. */
export const STG_ADDED_ADDRESSES = [
  'aws_security_group.stg_server',
  'aws_vpc_security_group_egress_rule.stg_server_egress',
  'aws_vpc_security_group_ingress_rule.stg_server_from_alb',
  'aws_cloudwatch_log_group.stg_server',
  'aws_cloudwatch_log_group.stg_server_build',
  'aws_codebuild_project.stg_server_build',
  'aws_codebuild_webhook.stg_server_build',
  'aws_iam_role.stg_server_build',
  'aws_iam_role_policy.stg_server_build',
];

/**
 * Resource types that belong to production: staging may refer to them, never manage them.
 * (Staging's own IAM roles and security group are staging's; production's are only referenced.)
 */
export const PRODUCTION_SIDE = /^aws_(lb|alb|lb_listener|alb_listener|vpc|subnet|route53_zone|ecr_repository|db_.+|rds_.+)$/;
