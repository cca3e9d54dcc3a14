import { z } from 'zod';
import { CONNECTION_ARN, GITHUB_REPOSITORY, PROJECT_NAME } from '../../aws/codebuild';
import { ENV_NAME } from '../../aws/ecs';
import { KIT } from '../../kit/defaults';
import { referenceRule, stringRule } from './rule';

export const githubRepository = stringRule('must be a GitHub repository URL like https://github.com/example/api.git', (v) => GITHUB_REPOSITORY.test(v), GITHUB_REPOSITORY);

// git check-ref-format (with --branch): no space, control character or DEL; none of ~ ^ : ? * [ \;
// no ".." or "@{"; not "@"; not starting with "-"; no "/" at either end and no "//"; no part (between
// slashes) starting with "." or ending in ".lock"; not ending in ".". `git branch` also refuses "HEAD".
// Not "refs/…" either: the webhook filter is ^refs/heads/<branch>$, so "refs/heads/main" would wait
// for refs/heads/refs/heads/main, which is never pushed.
const BRANCH_PROBLEMS: readonly [(v: string) => boolean, string][] = [
  [(v) => v === '', 'not empty'],
  [(v) => /[\s\x00-\x1f\x7f]/.test(v), 'no spaces or control characters'],
  [(v) => /[~^:?*[\\]/.test(v), 'none of ~ ^ : ? * [ \\'],
  [(v) => v.includes('..'), 'no ".."'],
  [(v) => v.includes('@{'), 'no "@{"'],
  [(v) => v === '@' || v === 'HEAD', `not "@" or "HEAD"`],
  [(v) => v.startsWith('-'), 'not starting with "-"'],
  [(v) => /^\/|\/$|\/\//.test(v), 'no "/" at either end and no "//"'],
  [(v) => /(?:^|\/)\./.test(v), 'no part starting with "."'],
  [(v) => /\.lock(?:\/|$)/.test(v), 'no part ending in ".lock"'],
  [(v) => v.endsWith('.'), 'not ending in "."'],
];

/** What is wrong with a branch name, phrased as a rule; undefined when git and the webhook take it. */
export function branchNameProblem(value: string): string | undefined {
  if (value.startsWith('refs/heads/')) return `must be a branch name without "refs/heads/": write ${JSON.stringify(value.slice('refs/heads/'.length))}`;
  if (value.startsWith('refs/')) return 'must be a branch name, not a ref: a push to refs/heads/<branch> builds, so write the branch alone, e.g. "develop"';
  const problem = BRANCH_PROBLEMS.find(([test]) => test(value));
  return problem ? `must be a git branch name like develop: ${problem[1]}` : undefined;
}

// BRANCH_NAME is the same test as one regex, for the editor schema.
export const BRANCH_NAME =
  /^(?!refs\/)(?!-)(?!\/)(?!.*\/$)(?!.*\/\/)(?!.*\.\.)(?!.*@\{)(?!@$)(?!HEAD$)(?!\.)(?!.*\/\.)(?!.*\.lock(?:\/|$))(?!.*\.$)[^\s\x00-\x1f\x7f~^:?*[\\]+$/;
export const branchName = z
  .string()
  .superRefine((value, context) => {
    const problem = branchNameProblem(value);
    if (problem) context.addIssue({ code: 'custom', input: value, message: problem });
  })
  .meta({ pattern: BRANCH_NAME.source });

export const connectionArn = referenceRule(
  'must be a CodeConnections connection ARN like arn:aws:codeconnections:ap-northeast-1:123456789012:connection/<uuid>',
  (v) => CONNECTION_ARN.test(v),
  CONNECTION_ARN,
);

export const projectName = stringRule('must be a CodeBuild project name: 2–150 letters, digits, "-" or "_", starting with a letter or digit', (v) =>
  PROJECT_NAME.test(v),
  PROJECT_NAME,
);


// docker build --build-arg NAME=value: a Dockerfile ARG is a variable of its build stage, so a name is a
// variable name; GO_VERSION is the Go build's own, read from goVersionFile (the write-up's build).
const GO_VERSION_ARG = KIT.pipeline.goVersionBuildArg;
export const buildArgName = stringRule(
  `must be a variable name (letters, digits and "_", not starting with a digit) other than ${GO_VERSION_ARG}, which the build reads from goVersionFile`,
  (v) => ENV_NAME.test(v) && v !== GO_VERSION_ARG,
  new RegExp(`^(?!${GO_VERSION_ARG}$)${ENV_NAME.source.slice(1)}`),
);
