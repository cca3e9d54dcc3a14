import { GuardrailRule, parseJson, Violation } from '../guardrail';

// awslogs-create-group makes the group on first start, with no retention and no encryption.
export const ManagedLogGroup: GuardrailRule = {
  id: 'STG-ManagedLogGroup',
  level: 'error',
  message: "each container's awslogs group must be a log group managed by this stack",
  explanation:
    'Otherwise the awslogs driver creates it with no retention. The stack manages the group named by taskDefinition.container.logGroup; if it already exists, adopt it (adopt.logGroup: true) instead of creating it.',
  check(resource, stack) {
    if (resource.type !== 'aws_ecs_task_definition') return [];
    const managed = new Set(stack.resources.filter((r) => r.type === 'aws_cloudwatch_log_group').map((r) => r.attributes.name));
    const violations: Violation[] = [];
    for (const container of parseJson(resource.attributes.container_definitions) ?? []) {
      const options = container.logConfiguration?.options ?? {};
      if (container.logConfiguration?.logDriver === 'awslogs' && !managed.has(options['awslogs-group'])) {
        violations.push({ detail: `container ${container.name} logs to an unmanaged group`, value: options['awslogs-group'] });
      }
    }
    return violations;
  },
};
