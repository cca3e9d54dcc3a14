import * as yaml from 'js-yaml';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CodebuildProject } from '@cdktf/provider-aws/lib/codebuild-project';
import { Pipeline, PipelineProps } from '../../src/constructs/pipeline';
import { BuildspecProps, renderBuildspec } from '../../src/pipeline/buildspec';
import { synthScope } from '../support/synth';
import '../support/cdktf-matchers';

const REPO_URL = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server';
const CONNECTION = 'arn:aws:codeconnections:ap-northeast-1:123456789012:connection/0123abcd-0123-4567-89ab-0123456789ab';
const TOKEN_SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:github-token-AbCdEf';
const GITHUB = 'https://github.com/example/stg-server.git';

// Cluster, service and family differ from each other, so each can be found in the buildspec by itself.
const BUILDSPEC: BuildspecProps = {
  repositoryUrl: REPO_URL,
  tagPrefix: 'stg',
  region: 'ap-northeast-1',
  cluster: 'stg_ecs_cluster',
  service: 'stg-api-service',
  family: 'stg-api-family',
  sourceEnvironmentFile: 'environments/stg.json',
};

const REQUIRED: PipelineProps = {
  buildspec: BUILDSPEC,
  projectName: 'stg-server-build',
  repository: GITHUB,
  connectionArn: CONNECTION,
  repositoryArn: 'arn:aws:ecr:ap-northeast-1:123456789012:repository/stg-server',
  serviceArn: 'arn:aws:ecs:ap-northeast-1:123456789012:service/stg_ecs_cluster/stg-api-service',
};

function synthPipeline(props: Partial<PipelineProps> = {}) {
  return synthScope((scope) => {
    new Pipeline(scope, 'Pipeline', { ...REQUIRED, ...props } as PipelineProps);
  });
}

/** Every key of every object in a JSON value, at any depth. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
  return [];
}

interface ParsedBuildspec {
  phases: { pre_build: { commands: string[] }; build: { commands: string[] } };
}

describe('Pipeline: the CodeBuild project', () => {
  test('builds from the GitHub repository with the generated buildspec, privileged, cached, logging to its own group', () => {
    // GIVEN a connection as the source credential
    // WHEN
    const synth = synthPipeline();

    // THEN all four pipeline resources sit at the one build address
    expect(synth.addresses().sort()).toEqual([
      'aws_cloudwatch_log_group.stg_server_build',
      'aws_codebuild_project.stg_server_build',
      'aws_codebuild_webhook.stg_server_build',
      'aws_iam_role.stg_server_build',
      'aws_iam_role_policy.stg_server_build',
    ]);
    const project = synth.resource('aws_codebuild_project', 'stg_server_build');
    expect(project.name).toBe('stg-server-build');
    expect(project.source).toMatchObject({ type: 'GITHUB', location: GITHUB });
    // the source credential is the connection
    expect(project.source.auth).toEqual({ type: 'CODECONNECTIONS', resource: CONNECTION });
    // Docker builds need the daemon
    expect(project.environment.privileged_mode).toBe(true);
    expect(project.environment.type).toBe('LINUX_CONTAINER');
    expect(project.environment.image).toMatch(/^aws\/codebuild\/amazonlinux-x86_64-standard:\d+\.\d+$/);
    // Docker layers are cached between builds on the same host
    expect(project.cache.type).toBe('LOCAL');
    expect(project.cache.modes).toContain('LOCAL_DOCKER_LAYER_CACHE');
    // logs go to the log group the construct creates (and the role may write to)
    expect(project.logs_config.cloudwatch_logs).toMatchObject({ group_name: '${aws_cloudwatch_log_group.stg_server_build.name}', status: 'ENABLED' });
    // the build runs as the least-privilege build role
    expect(project.service_role).toBe('${aws_iam_role.stg_server_build.arn}');
  });

  test('the inline buildspec is the generated one, valid YAML naming the cluster, service and family of the props', () => {
    // WHEN
    const synth = synthPipeline();

    // THEN the text is exactly what `npm run buildspec` writes for the same props
    const text: string = synth.resource('aws_codebuild_project', 'stg_server_build').source.buildspec;
    expect(text).toBe(renderBuildspec(BUILDSPEC));
    // and CodeBuild can read it
    const spec = yaml.safeLoad(text) as ParsedBuildspec;
    const build = spec.phases.build.commands;
    const updateService = build.find((command) => command.includes('aws ecs update-service') && !command.includes('# the deploy check'));
    expect(updateService).toContain("--cluster 'stg_ecs_cluster'");
    expect(updateService).toContain("--service 'stg-api-service'");
    expect(updateService).toContain("--task-definition 'stg-api-family'");
    const check = build.at(-1)!;
    expect(check).toContain("\nDEPLOY_CLUSTER='stg_ecs_cluster'\n");
    expect(check).toContain("\nDEPLOY_SERVICE='stg-api-service'\n");
    expect(text).not.toContain('ecs wait');
    expect(build).toContain(`docker push '${REPO_URL}:stg'`);
  });

  test('a GitHub token comes from Secrets Manager: the project names the secret, never a token', () => {
    // GIVEN a token secret instead of a connection
    // WHEN
    const synth = synthPipeline({ connectionArn: undefined, tokenSecretArn: TOKEN_SECRET });

    // THEN
    const project = synth.resource('aws_codebuild_project', 'stg_server_build');
    expect(project.source.auth).toEqual({ type: 'SECRETS_MANAGER', resource: TOKEN_SECRET });
    // no source credential resource (which would keep the token in state), no token argument, no token value
    expect(synth.addresses().filter((address) => address.startsWith('aws_codebuild_source_credential'))).toEqual([]);
    expect(keysOf(JSON.parse(synth.json)).filter((key) => /token/i.test(key))).toEqual([]);
    expect(synth.json).not.toMatch(/gh[pousr]_[A-Za-z0-9]{20,}|github_pat_/);
    // the secret is only ever referred to by ARN: as the source credential and in the role's grant
    expect(synth.json.split(TOKEN_SECRET).length - 1).toBe(2);
  });

  test('an ARM64 task is built on an ARM host with an aarch64 image', () => {
    // WHEN
    const synth = synthPipeline({ arm64: true });

    // THEN
    const environment = synth.resource('aws_codebuild_project', 'stg_server_build').environment;
    expect(environment.type).toBe('ARM_CONTAINER');
    expect(environment.image).toMatch(/^aws\/codebuild\/amazonlinux-aarch64-standard:\d+\.\d+$/);
    expect(environment.privileged_mode).toBe(true);
  });

  test.each([
    ['both', { tokenSecretArn: TOKEN_SECRET }],
    ['neither', { connectionArn: undefined }],
  ])('%s of connectionArn and tokenSecretArn: throws', (_, props) => {
    // GIVEN a credential too many, or none
    // WHEN / THEN
    expect(() => synthPipeline(props)).toThrow(/give exactly one of connectionArn and tokenSecretArn/);
  });
});

describe('Pipeline: the smoke test’s access header', () => {
  const URL = 'https://stg-api.example.com/healthcheck';
  const HEADER_SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:stg/access-key-AbCdEf';
  /** The build role's policy: action → resources. */
  function grants(buildspec: BuildspecProps): Record<string, string[]> {
    const synth = synthPipeline({ buildspec });
    const statements = (JSON.parse(synth.resource('aws_iam_role_policy', 'stg_server_build').policy) as { Statement: { Action: string[]; Resource: string[] }[] }).Statement;
    const byAction: Record<string, string[]> = {};
    for (const statement of statements) for (const action of statement.Action) byAction[action] = [...(byAction[action] ?? []), ...statement.Resource].sort();
    return byAction;
  }

  test.each([
    ['a Secrets Manager secret (a JSON key dropped: IAM matches the secret)', `${HEADER_SECRET}:key::`, 'secretsmanager:GetSecretValue', HEADER_SECRET],
    ['an SSM parameter by ARN', 'arn:aws:ssm:ap-northeast-1:123456789012:parameter/stg/access-key', 'ssm:GetParameters', 'arn:aws:ssm:ap-northeast-1:123456789012:parameter/stg/access-key'],
    ['an SSM parameter by name, in the build’s region and account', '/stg/access-key', 'ssm:GetParameters', 'arn:aws:ssm:ap-northeast-1:123456789012:parameter/stg/access-key'],
  ])('the build role reads the header’s value, and only it: %s', (_name, valueFrom, action, resource) => {
    // GIVEN a smoke test with the rule's header, its value in a secret or a parameter
    // WHEN
    const granted = grants({ ...BUILDSPEC, smokeTest: { url: URL, header: { name: 'X-Staging-Key', valueFrom } } });
    // THEN
    expect(granted[action]).toEqual([resource]);
    expect(Object.keys(granted).filter((name) => name.startsWith('ssm:') || name.startsWith('secretsmanager:'))).toEqual([action]);
  });

  test('without a header (or without a smoke test) the role reads no secret and no parameter', () => {
    // WHEN
    const granted = [grants({ ...BUILDSPEC, smokeTest: { url: URL } }), grants({ ...BUILDSPEC, smokeTest: { skip: 'smoke test skipped: no host' } }), grants(BUILDSPEC)];
    // THEN
    for (const policy of granted) expect(Object.keys(policy).filter((name) => name.startsWith('ssm:') || name.startsWith('secretsmanager:'))).toEqual([]);
  });
});

describe('Pipeline: the webhook', () => {
  test('builds on pushes to the branch, and only on those', () => {
    // GIVEN the default branch
    // WHEN
    const synth = synthPipeline();

    // THEN exactly one filter group: a push, whose ref is exactly the branch
    const webhook = synth.resource('aws_codebuild_webhook', 'stg_server_build');
    expect(webhook.project_name).toBe('${aws_codebuild_project.stg_server_build.name}');
    expect(webhook.filter_group).toEqual([
      {
        filter: [
          { type: 'EVENT', pattern: 'PUSH' },
          { type: 'HEAD_REF', pattern: '^refs/heads/develop$' },
        ],
      },
    ]);
  });

  test('a branch with a dot: the dot is escaped, so release/1x0 does not build', () => {
    // GIVEN
    // WHEN
    const synth = synthPipeline({ branch: 'release/1.0' });

    // THEN
    const webhook = synth.resource('aws_codebuild_webhook', 'stg_server_build');
    const pattern: string = webhook.filter_group[0].filter[1].pattern;
    expect(pattern).toBe('^refs/heads/release/1\\.0$');
    expect(new RegExp(pattern).test('refs/heads/release/1.0')).toBe(true);
    expect(new RegExp(pattern).test('refs/heads/release/1x0')).toBe(false);
    expect(new RegExp(pattern).test('refs/heads/release/1.0-hotfix')).toBe(false);
    // and the project checks out the same branch
    expect(synth.resource('aws_codebuild_project', 'stg_server_build').source_version).toBe('release/1.0');
  });
});

describe('Pipeline: the log group', () => {
  test('is /aws/codebuild/<project>, kept 30 days by default', () => {
    // WHEN
    const synth = synthPipeline();
    // THEN
    expect(synth.json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/aws/codebuild/stg-server-build', retention_in_days: 30 });
  });

  test('keeps logs as long as given', () => {
    // WHEN
    const synth = synthPipeline({ projectName: 'preview-build', logRetentionInDays: 7 });
    // THEN
    expect(synth.resource('aws_cloudwatch_log_group', 'stg_server_build')).toMatchObject({ name: '/aws/codebuild/preview-build', retention_in_days: 7 });
    expect(synth.json).toHaveResourceWithProperties(CodebuildProject, { name: 'preview-build' });
  });
});
