import { blocks, GuardrailRule } from '../guardrail';

/** The cluster's ECS Exec logging, or undefined when sessions are not recorded. */
function execLogging(cluster: Record<string, any>): string | undefined {
  const execute = blocks(cluster.configuration).flatMap((c) => blocks(c.execute_command_configuration))[0];
  if (!execute || execute.logging === 'NONE') return undefined;
  if (execute.logging === 'OVERRIDE') {
    const destination = blocks(execute.log_configuration)[0] ?? {};
    return destination.cloud_watch_log_group_name ?? destination.s3_bucket_name;
  }
  return execute.logging; // DEFAULT: the awslogs configuration of the task
}

// ECS Exec opens a shell in a task with production credentials; every session must leave a record.
export const ExecAudit: GuardrailRule = {
  id: 'STG-ExecAudit',
  level: 'error',
  message: 'a service with ECS Exec enabled must run in a cluster that logs exec sessions',
  explanation:
    'ECS Exec gives a shell inside a task that reaches production data. The stack configures the cluster to log sessions to the service log group; turn exec off (service.enableExecuteCommand: false) if you do not need it.',
  check(resource, stack) {
    if (resource.type !== 'aws_ecs_service' || resource.attributes.enable_execute_command !== true) return [];
    const cluster = stack.referenced(resource.attributes.cluster);
    if (!cluster) return [{ detail: 'its cluster is not managed by this stack, so its exec logging cannot be checked', value: resource.attributes.cluster }];
    return execLogging(cluster.attributes) ? [] : [{ detail: `${cluster.address} has no execute_command_configuration logging` }];
  },
};
