/** AWS CodeBuild and its GitHub source: repository URLs, connections, project names, webhook filters. */

// The source: a GitHub repository over HTTPS (CodeBuild GITHUB source type).
export const GITHUB_REPOSITORY = /^https:\/\/github\.com\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?(\.git)?$/;

// CodeConnections (or the older CodeStar Connections) connection ARN.
export const CONNECTION_ARN = /^arn:aws(-cn|-us-gov)?:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;

// CodeBuild project names: 2–150 characters, letters, digits, "-" and "_", starting with a letter or digit.
export const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$/;

/** The webhook's HEAD_REF pattern for exactly one branch. */
export function headRefPattern(branch: string): string {
  return `^refs/heads/${branch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}
