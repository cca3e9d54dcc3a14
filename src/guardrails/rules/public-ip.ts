import { blocks, GuardrailRule } from '../guardrail';

// The article's default: tasks in public subnets with public IPs, reachable around the ALB if a security group allows it.
export const PublicIp: GuardrailRule = {
  id: 'STG-PublicIp',
  level: 'warning',
  message: 'staging tasks get public IP addresses',
  explanation:
    'Tasks with public IPs can be reached around the ALB wherever a security group allows it. Prefer private subnets with a NAT gateway or VPC endpoints, and service.assignPublicIp: false.',
  // a task set (external deployments) runs tasks of a service with its own network configuration
  check: (resource) =>
    (resource.type === 'aws_ecs_service' || resource.type === 'aws_ecs_task_set') && blocks(resource.attributes.network_configuration).some((n) => n.assign_public_ip === true)
      ? [{ detail: 'assign_public_ip is true', value: true }]
      : [],
};
