import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Agreement with the real provider, for the limits the provider validates itself: each value just
 * inside our limit passes `terraform validate`, and each value just outside is rejected by our
 * validation first — and would have been rejected by the provider too (so our limits are not stricter).
 */
export interface Boundary {
  readonly name: string;
  /** The field in the environment file. */
  readonly field: string;
  readonly inside: unknown;
  readonly outside: unknown;
  /** Extra environment fields the boundary needs (e.g. a long interval for a long timeout). */
  readonly with?: Record<string, unknown>;
  /** Where the value lands in Terraform. */
  readonly resource: string;
  readonly apply: (resource: Record<string, any>, value: any) => void;
}

const TG = 'aws_lb_target_group';
export const BOUNDARIES: Boundary[] = [
  { name: 'tg_name_length', field: 'targetGroup.name', inside: 'a'.repeat(32), outside: 'a'.repeat(33), resource: TG, apply: (r, v) => (r.name = v) },
  { name: 'tg_port_low', field: 'taskDefinition.container.port', inside: 1, outside: 0, resource: TG, apply: (r, v) => (r.port = v) },
  { name: 'tg_port_high', field: 'taskDefinition.container.port', inside: 65535, outside: 65536, resource: TG, apply: (r, v) => (r.port = v) },
  { name: 'deregistration_high', field: 'targetGroup.deregistrationDelay', inside: 3600, outside: 3601, resource: TG, apply: (r, v) => (r.deregistration_delay = String(v)) },
  { name: 'interval_low', field: 'targetGroup.healthCheck.interval', inside: 5, outside: 4, with: { 'targetGroup.healthCheck.timeout': 2 }, resource: TG, apply: (r, v) => Object.assign(r.health_check, { interval: v, timeout: 2 }) },
  { name: 'interval_high', field: 'targetGroup.healthCheck.interval', inside: 300, outside: 301, resource: TG, apply: (r, v) => (r.health_check.interval = v) },
  { name: 'timeout_low', field: 'targetGroup.healthCheck.timeout', inside: 2, outside: 1, resource: TG, apply: (r, v) => (r.health_check.timeout = v) },
  { name: 'timeout_high', field: 'targetGroup.healthCheck.timeout', inside: 120, outside: 121, with: { 'targetGroup.healthCheck.interval': 300 }, resource: TG, apply: (r, v) => Object.assign(r.health_check, { timeout: v, interval: 300 }) },
  { name: 'healthy_low', field: 'targetGroup.healthCheck.healthyThreshold', inside: 2, outside: 1, resource: TG, apply: (r, v) => (r.health_check.healthy_threshold = v) },
  { name: 'unhealthy_high', field: 'targetGroup.healthCheck.unhealthyThreshold', inside: 10, outside: 11, resource: TG, apply: (r, v) => (r.health_check.unhealthy_threshold = v) },
  { name: 'path_prefix', field: 'targetGroup.healthCheck.path', inside: '/', outside: 'healthcheck', resource: TG, apply: (r, v) => (r.health_check.path = v) },
  { name: 'priority_low', field: 'listenerRule.priority', inside: 1, outside: 0, resource: 'aws_alb_listener_rule', apply: (r, v) => (r.priority = v) },
  { name: 'priority_high', field: 'listenerRule.priority', inside: 50000, outside: 50001, resource: 'aws_alb_listener_rule', apply: (r, v) => (r.priority = v) },
  { name: 'family_length', field: 'taskDefinition.family', inside: 'f'.repeat(255), outside: 'f'.repeat(256), resource: 'aws_ecs_task_definition', apply: (r, v) => (r.family = v) },
  { name: 'cluster_length', field: 'cluster.name', inside: 'c'.repeat(255), outside: 'c'.repeat(256), resource: 'aws_ecs_cluster', apply: (r, v) => (r.name = v) },
];

/** The synthesized stg stack plus two copies of a resource per boundary: `<name>_inside` and `<name>_outside`. */
export function stackWithCopies(stackDir: string): string {
  const stack = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  for (const boundary of BOUNDARIES) {
    const byName = stack.resource[boundary.resource];
    const original = Object.values(byName)[0] as Record<string, any>;
    for (const side of ['inside', 'outside'] as const) {
      const copy = structuredClone(original);
      delete copy['//'];
      boundary.apply(copy, boundary[side]);
      byName[`${boundary.name}_${side}`] = copy;
    }
  }
  return JSON.stringify(stack, null, 2);
}
