import { blocks, GuardrailRule, parseJson } from '../guardrail';

/** The smallest "keep N images" count among the policy's rules; Infinity when no rule keeps a count. */
function imagesKept(policy: unknown): number {
  const counts: number[] = (parseJson(policy)?.rules ?? [])
    .filter((rule: any) => rule.selection?.countType === 'imageCountMoreThan')
    .map((rule: any) => Number(rule.selection.countNumber));
  return Math.min(...counts);
}

// The circuit breaker rolls back to the previous image; a lifecycle rule keeping one image may have expired it.
export const RollbackImage: GuardrailRule = {
  id: 'STG-RollbackImage',
  level: 'warning',
  message: 'the ECR lifecycle rule should keep at least 2 images while deployments roll back',
  explanation:
    'A rollback starts the previous task definition revision, whose image tag may already be expired. Set ecrLifecycle.keepImages to 2 or more.',
  check(resource, stack) {
    if (resource.type !== 'aws_ecr_lifecycle_policy') return [];
    const kept = imagesKept(resource.attributes.policy);
    const rollback = stack.resources.some(
      (r) => r.type === 'aws_ecs_service' && blocks(r.attributes.deployment_circuit_breaker).some((b) => b.rollback === true),
    );
    return rollback && kept < 2 ? [{ detail: `it keeps ${kept} image`, value: kept }] : [];
  },
};
