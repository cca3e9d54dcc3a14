/**
 * The AWS SDK clients of the day-2 commands, in the environment file's region. The SDK's default chain
 * finds the credentials (AWS_PROFILE, SSO, environment keys, instance and container roles) and honours
 * AWS_ENDPOINT_URL (LocalStack, moto); it retries throttling and 5xx answers with backoff.
 */
import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CodeBuildClient } from '@aws-sdk/client-codebuild';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import { awsErrorLine } from './errors';
import { sdk } from './sdk';

/** What a command needs of a client: `send`, and the service's name for error lines. */
export interface SendingClient {
  send(command: unknown): Promise<unknown>;
  readonly config?: { readonly serviceId?: string };
}

export interface Clients {
  readonly ecs: ECSClient;
  readonly logs: CloudWatchLogsClient;
  readonly elb: ElasticLoadBalancingV2Client;
  readonly ecr: ECRClient;
  readonly codebuild: CodeBuildClient;
  readonly autoscaling: ApplicationAutoScalingClient;
  readonly s3: S3Client;
  readonly sts: STSClient;
}

/**
 * One client per service, made on first use, all in `region` (the file's: the stack lives there, whatever
 * AWS_REGION says). With a custom endpoint S3 is addressed by path, as LocalStack and moto need.
 */
export function awsClients(region: string): Clients {
  // The SDK warns on Node 20 about releases after January 2027 on every run: a line of noise per command.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = { region };
  const made = new Map<string, unknown>();
  const once = <T>(name: string, make: () => T): T => {
    if (!made.has(name)) made.set(name, make());
    return made.get(name) as T;
  };
  const customEndpoint = Boolean(process.env.AWS_ENDPOINT_URL || process.env.AWS_ENDPOINT_URL_S3);
  return {
    get ecs() { return once('ecs', () => new sdk.ecs.ECSClient(config)); },
    get logs() { return once('logs', () => new sdk.logs.CloudWatchLogsClient(config)); },
    get elb() { return once('elb', () => new sdk.elb.ElasticLoadBalancingV2Client(config)); },
    get ecr() { return once('ecr', () => new sdk.ecr.ECRClient(config)); },
    get codebuild() { return once('codebuild', () => new sdk.codebuild.CodeBuildClient(config)); },
    get autoscaling() { return once('autoscaling', () => new sdk.autoscaling.ApplicationAutoScalingClient(config)); },
    get s3() { return once('s3', () => new sdk.s3.S3Client({ ...config, forcePathStyle: customEndpoint })); },
    get sts() { return once('sts', () => new sdk.sts.STSClient(config)); },
  };
}

/** "ECS DescribeServices", from the client's service and the command's class. */
export function callName(client: SendingClient, command: unknown): string {
  const service = client.config?.serviceId ?? 'AWS';
  const operation = (command as { constructor?: { name?: string } }).constructor?.name?.replace(/Command$/, '') ?? 'call';
  return `${service} ${operation}`;
}

/** `client.send(command)`, its failure turned into one line naming the call (errors.ts). */
export async function send<T>(client: SendingClient, command: unknown): Promise<T> {
  try {
    return (await client.send(command)) as T;
  } catch (error) {
    throw awsErrorLine(callName(client, command), error);
  }
}
