import { blocks, GuardrailRule } from '../guardrail';

// ECS uses only capacity providers associated with the cluster (PutClusterCapacityProviders) in a strategy.
export const CapacityProviders: GuardrailRule = {
  id: 'STG-CapacityProviders',
  level: 'error',
  message: "a service with a capacity provider strategy must run in a cluster that offers those providers, associated before the service",
  explanation:
    'CreateService fails when the strategy names a provider the cluster does not have. The stack adds aws_ecs_cluster_capacity_providers to the staging cluster for FARGATE and FARGATE_SPOT, and the service depends on it.',
  check(resource, stack) {
    if (resource.type !== 'aws_ecs_service') return [];
    const strategy = blocks(resource.attributes.capacity_provider_strategy).map((item) => String(item.capacity_provider));
    if (strategy.length === 0) return [];
    const cluster = stack.referenced(resource.attributes.cluster);
    // a cluster managed elsewhere (a preview's is staging's) is that stack's to check
    if (!cluster) return [];
    const association = stack.resources.find((candidate) => candidate.type === 'aws_ecs_cluster_capacity_providers' && stack.referenced(candidate.attributes.cluster_name)?.address === cluster.address);
    if (!association) return [{ detail: `${cluster.address} has no aws_ecs_cluster_capacity_providers`, value: strategy }];
    const offered: string[] = association.attributes.capacity_providers ?? [];
    const missing = strategy.filter((provider) => !offered.includes(provider));
    const violations = missing.length > 0 ? [{ detail: `${association.address} does not offer ${missing.join(', ')}`, value: offered }] : [];
    const dependsOn: string[] = resource.attributes.depends_on ?? [];
    if (!dependsOn.includes(association.address)) violations.push({ detail: `the service does not depend on ${association.address}, so it may be created before the providers are associated`, value: dependsOn });
    return violations;
  },
};
