import { Construct } from 'constructs';
import { KIT } from '../kit/defaults';

/** How a CodeBuild project reaches GitHub: a connection or a token secret. */
export interface GitHubAuthProps {
  /** CodeConnections connection to GitHub (give this or `tokenSecretArn`). */
  readonly connectionArn?: string;
  /** Secrets Manager secret holding a GitHub token (give this or `connectionArn`). */
  readonly tokenSecretArn?: string;
}

/** The project's `source.auth`, per project (no account-wide source credential); exactly one of the two. */
export function gitHubSourceAuth(scope: Construct, props: GitHubAuthProps): { type: string; resource: string } {
  if ((props.connectionArn === undefined) === (props.tokenSecretArn === undefined)) {
    throw new Error(`${scope.node.path}: give exactly one of connectionArn and tokenSecretArn`);
  }
  return props.connectionArn ? { type: 'CODECONNECTIONS', resource: props.connectionArn } : { type: 'SECRETS_MANAGER', resource: props.tokenSecretArn! };
}

/** A build host for `docker build`: the Linux standard image of the task's architecture, with the Docker daemon. */
export function dockerBuildEnvironment(arm64: boolean, computeType?: string, image?: string) {
  return {
    type: arm64 ? 'ARM_CONTAINER' : 'LINUX_CONTAINER',
    computeType: computeType ?? KIT.pipeline.computeType,
    image: image ?? `aws/codebuild/amazonlinux-${arm64 ? 'aarch64' : 'x86_64'}-standard:${arm64 ? '3.0' : '5.0'}`,
    // Docker builds need the daemon.
    privilegedMode: true,
  };
}
