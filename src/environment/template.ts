import { placeholder } from './placeholders';

/**
 * The least a team writes for its own staging environment (`npm run new -- <name>`): the required
 * sections, with every value only the team knows as a placeholder that synth names until it is filled.
 * Production is found by lookup (the ALB by name, the zone by name), which saves most IDs.
 */
export function newEnvironmentFile(): Record<string, unknown> {
  return {
    $schema: './environment.schema.json',
    region: placeholder('your AWS region code, e.g. "ap-northeast-1"'),
    taskDefinition: {
      container: {},
    },
    service: {
      subnetIds: [placeholder('a subnet ID of the production VPC for the tasks, e.g. "subnet-0123456789abcdef0" (or use subnetTags)')],
      loadBalancerSecurityGroupId: placeholder('the security group ID of the production ALB, e.g. "sg-0123456789abcdef0"'),
      // Private subnets (with a NAT gateway or VPC endpoints for ECR and logs): the write-up's public IPs are a guardrail warning.
      assignPublicIp: false,
    },
    listenerRule: {
      loadBalancer: {
        name: placeholder('the name of the production ALB (or use listenerArn instead of loadBalancer)'),
        listenerPort: 443,
      },
      priority: placeholder('a priority no rule of that listener uses, an integer from 1 to 50000'),
      hostHeader: placeholder('the staging host name, e.g. "stg-api.example.com"'),
      access: {
        sourceIps: [placeholder('the CIDR of your office or VPN, e.g. "203.0.113.0/24" (or use httpHeader, oidc or cognito)')],
      },
    },
    dnsRecord: {
      zoneName: placeholder('the hosted zone of the staging host, e.g. "example.com"'),
      name: placeholder('the staging host name again, e.g. "stg-api.example.com"'),
    },
    ecrLifecycle: {
      repository: placeholder('the name of the ECR repository that holds the staging image'),
      // One image more than the write-up, so that a rolled-back deployment still finds its image.
      keepImages: 2,
    },
  };
}
