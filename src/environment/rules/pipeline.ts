import { stringRule } from './rule';

// The source: a GitHub repository over HTTPS (CodeBuild GITHUB source type).
export const GITHUB_REPOSITORY = /^https:\/\/github\.com\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?(\.git)?$/;
export const githubRepository = stringRule('must be a GitHub repository URL like https://github.com/example/api.git', (v) => GITHUB_REPOSITORY.test(v));

// git check-ref-format, simplified: no spaces, "..", "~^:?*[\", leading "-" or "/", trailing "/" or ".lock".
export const branchName = stringRule('must be a git branch name like develop', (v) =>
  /^[^\s~^:?*[\\\x00-\x1f]+$/.test(v) && !v.includes('..') && !/^[-/]|\/$|\.lock$/.test(v),
);

// CodeConnections (or the older CodeStar Connections) connection ARN.
export const CONNECTION_ARN = /^arn:aws(-cn|-us-gov)?:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;
export const connectionArn = stringRule(
  'must be a CodeConnections connection ARN like arn:aws:codeconnections:ap-northeast-1:123456789012:connection/<uuid>',
  (v) => CONNECTION_ARN.test(v),
);

// CodeBuild project names: 2–150 characters, letters, digits, "-" and "_", starting with a letter or digit.
export const projectName = stringRule('must be a CodeBuild project name: 2–150 letters, digits, "-" or "_", starting with a letter or digit', (v) =>
  /^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$/.test(v),
);

/** The webhook's HEAD_REF pattern for exactly one branch. */
export function headRefPattern(branch: string): string {
  return `^refs/heads/${branch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}
