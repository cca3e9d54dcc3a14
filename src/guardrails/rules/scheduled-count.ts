import { ECS_DESIRED_COUNT } from '../../aws/autoscaling';
import { GuardrailRule, ResourceView, StackView, Violation } from '../guardrail';

const ignored = (resource: ResourceView): string[] => resource.attributes.lifecycle?.ignore_changes ?? [];
const dependsOn = (resource: ResourceView): string[] => resource.attributes.depends_on ?? [];

/** Whether `from` depends on `to`, directly or through other resources of the stack. */
function dependsOnTransitively(from: ResourceView, to: ResourceView, stack: StackView, seen = new Set<string>()): boolean {
  return dependsOn(from).some((address) => {
    if (address === to.address) return true;
    if (seen.has(address)) return false;
    seen.add(address);
    const next = stack.resources.find((resource) => resource.address === address);
    return next !== undefined && dependsOnTransitively(next, to, stack, seen);
  });
}

/** The scheduled actions that name this target (by reference to it, or by its resource ID). */
function actionsOn(target: ResourceView, stack: StackView): ResourceView[] {
  return stack.resources.filter(
    (resource) =>
      resource.type === 'aws_appautoscaling_scheduled_action' &&
      (stack.referenced(resource.attributes.resource_id)?.address === target.address || resource.attributes.resource_id === target.attributes.resource_id),
  );
}

// The ECS service a target's resource ID ("service/<cluster>/<service>") names, when managed here.
function targetedService(target: ResourceView, stack: StackView): ResourceView | undefined {
  const service = /\/\$\{(aws_ecs_service\.[A-Za-z0-9_-]+)\.name\}$/.exec(String(target.attributes.resource_id))?.[1];
  return stack.resources.find((resource) => resource.address === service);
}

// Scheduled actions own an ECS service's task count: Terraform must leave it to them, and create them one at a time.
export const ScheduledCount: GuardrailRule = {
  id: 'STG-ScheduledCount',
  level: 'error',
  message: 'a service whose task count a schedule owns must leave that count to the schedule, and its actions must be created one after the other',
  explanation:
    'Without ignore_changes on the target\'s min_capacity/max_capacity and the service\'s desired_count, an apply at night wakes the service and one in the day stops it. Application Auto Scaling refuses concurrent changes to one target (ConcurrentUpdateException), so each scheduled action depends on the one before.',
  check(resource, stack) {
    if (resource.type !== 'aws_appautoscaling_target' || resource.attributes.scalable_dimension !== ECS_DESIRED_COUNT) return [];
    const violations: Violation[] = [];
    const missing = ['min_capacity', 'max_capacity'].filter((attribute) => !ignored(resource).includes(attribute));
    if (missing.length > 0) violations.push({ detail: `the target does not ignore changes to ${missing.join(' and ')}`, value: ignored(resource) });
    const service = targetedService(resource, stack);
    if (service && !ignored(service).includes('desired_count')) violations.push({ detail: `${service.address} does not ignore changes to desired_count`, value: ignored(service) });
    const actions = actionsOn(resource, stack);
    actions.forEach((action, index) => {
      for (const other of actions.slice(index + 1)) {
        if (!dependsOnTransitively(action, other, stack) && !dependsOnTransitively(other, action, stack)) {
          violations.push({ detail: `${action.address} and ${other.address} may be created at once: make one depend on the other` });
        }
      }
    });
    return violations;
  },
};
