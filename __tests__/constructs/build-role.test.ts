import { BuildRole, BuildRoleProps } from '../../src/constructs/build-role';
import { synthScope } from '../support/synth';

const REPOSITORY = 'arn:aws:ecr:ap-northeast-1:123456789012:repository/stg-server';
const SERVICE = 'arn:aws:ecs:ap-northeast-1:123456789012:service/stg_ecs_cluster/stg-server';
const LOG_GROUP = 'arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/codebuild/stg-server-build';
const CONNECTION = 'arn:aws:codeconnections:ap-northeast-1:123456789012:connection/0123abcd-0123-4567-89ab-0123456789ab';
const CODESTAR_CONNECTION = 'arn:aws:codestar-connections:ap-northeast-1:123456789012:connection/0123abcd-0123-4567-89ab-0123456789ab';
const TOKEN_SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:github-token-AbCdEf';
const HUB_SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:dockerhub-GhIjKl';

// The `docker push` sequence and the reads before it, written out here rather than imported.
const ECR_PUSH = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:CompleteLayerUpload',
  'ecr:GetDownloadUrlForLayer',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
];

// A rollback reads the digest the mutable tag named before the build (BatchGetImage and PutImage, to put
// the tag back on it, are the push's already).
const ECR_ROLLBACK = ['ecr:DescribeImages'];
const PARAMETER = 'arn:aws:ssm:ap-northeast-1:123456789012:parameter/stg/access-key';

const REQUIRED: BuildRoleProps = { name: 'stg-server-build-codebuild', repositoryArn: REPOSITORY, serviceArn: SERVICE, logGroupArn: LOG_GROUP };

interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  NotAction?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

const asList = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function synthRole(props: Partial<BuildRoleProps> = {}) {
  const synth = synthScope((scope) => {
    new BuildRole(scope, 'BuildRole', { ...REQUIRED, ...props });
  });
  const statements = (JSON.parse(synth.resource('aws_iam_role_policy', 'stg_server_build').policy) as { Statement: PolicyStatement[] }).Statement;
  return { synth, statements };
}

/** Each action granted, with the resources granting it, sorted: the whole policy as one comparable value. */
function grants(statements: PolicyStatement[]): Record<string, string[]> {
  const byAction: Record<string, string[]> = {};
  for (const statement of statements) {
    for (const action of asList(statement.Action)) byAction[action] = [...(byAction[action] ?? []), ...asList(statement.Resource)].sort();
  }
  return byAction;
}

const onlyOn = (resource: string, actions: string[]) => Object.fromEntries(actions.map((action) => [action, [resource]]));

describe('BuildRole', () => {
  test('grants exactly: ECR login on "*", push to one repository, roll one service, write its logs, use its connection, read its secrets', () => {
    // GIVEN every optional input: a connection, a token secret and a Docker Hub secret
    // WHEN
    const { statements } = synthRole({ connectionArn: CONNECTION, secretArns: [TOKEN_SECRET, HUB_SECRET] });

    // THEN every statement is a plain Allow of actions on resources
    for (const statement of statements) {
      expect(statement.Effect).toBe('Allow');
      expect(statement).not.toHaveProperty('NotAction');
      expect(statement).not.toHaveProperty('NotResource');
    }
    // and this is every action, each on exactly these resources
    const granted = grants(statements);
    const connectionActions = Object.keys(granted).filter((action) => action.startsWith('codeconnections:'));
    expect(granted).toEqual({
      // ECR GetAuthorizationToken has no resource-level permissions
      'ecr:GetAuthorizationToken': ['*'],
      ...onlyOn(REPOSITORY, [...ECR_PUSH, ...ECR_ROLLBACK]),
      ...onlyOn(SERVICE, ['ecs:DescribeServices', 'ecs:UpdateService']),
      ...onlyOn(`${LOG_GROUP}:*`, ['logs:CreateLogStream', 'logs:PutLogEvents']),
      ...onlyOn(CONNECTION, connectionActions),
      'secretsmanager:GetSecretValue': [HUB_SECRET, TOKEN_SECRET].sort(),
    });
    // CodeBuild fetches the source with a token the connection vends
    expect(connectionActions).toContain('codeconnections:GetConnectionToken');
    // "*" is the ECR login's alone
    const wildcards = statements.filter((s) => asList(s.Resource).some((resource) => resource.includes('*') && resource !== `${LOG_GROUP}:*`));
    expect(wildcards.flatMap((s) => asList(s.Action))).toEqual(['ecr:GetAuthorizationToken']);
    // the deploy reuses the family's latest revision: it registers nothing and passes no role
    const actions = Object.keys(granted);
    expect(actions).not.toContain('iam:PassRole');
    expect(actions).not.toContain('ecs:RegisterTaskDefinition');
    expect(actions.filter((action) => action.endsWith(':*') || action === '*')).toEqual([]);
  });

  test('the connection actions take the service prefix of the ARN: codestar-connections', () => {
    // GIVEN a connection created before the CodeConnections rename
    // WHEN
    const { statements } = synthRole({ connectionArn: CODESTAR_CONNECTION });

    // THEN
    const source = statements.filter((s) => asList(s.Resource).includes(CODESTAR_CONNECTION));
    expect(source).toHaveLength(1);
    expect(asList(source[0].Resource)).toEqual([CODESTAR_CONNECTION]);
    const actions = asList(source[0].Action);
    expect(actions).toContain('codestar-connections:GetConnectionToken');
    expect(actions.every((action) => action.startsWith('codestar-connections:'))).toBe(true);
    expect(statements.flatMap((s) => asList(s.Action)).filter((action) => action.startsWith('codeconnections:'))).toEqual([]);
  });

  test('only what is given is granted: no connection, no secrets, no statements for them', () => {
    // GIVEN neither a connection nor secrets
    // WHEN
    const { statements } = synthRole();

    // THEN
    expect(grants(statements)).toEqual({
      'ecr:GetAuthorizationToken': ['*'],
      ...onlyOn(REPOSITORY, [...ECR_PUSH, ...ECR_ROLLBACK]),
      ...onlyOn(SERVICE, ['ecs:DescribeServices', 'ecs:UpdateService']),
      ...onlyOn(`${LOG_GROUP}:*`, ['logs:CreateLogStream', 'logs:PutLogEvents']),
    });
    // and no statement with an empty Resource list
    for (const statement of statements) expect(asList(statement.Resource).length).toBeGreaterThan(0);
  });

  test('SSM parameters (the access header’s value) are read with ssm:GetParameters on exactly those; none, no statement', () => {
    // WHEN
    const some = synthRole({ parameterArns: [PARAMETER, PARAMETER] });
    const none = synthRole({ parameterArns: [] });

    // THEN
    expect(grants(some.statements)['ssm:GetParameters']).toEqual([PARAMETER]);
    expect(Object.keys(grants(some.statements)).filter((action) => action.startsWith('ssm:'))).toEqual(['ssm:GetParameters']);
    expect(none.statements.flatMap((s) => asList(s.Action)).filter((action) => action.startsWith('ssm:'))).toEqual([]);
  });

  test('an empty list of secrets writes no Secrets statement; a secret listed twice is granted once', () => {
    // WHEN
    const none = synthRole({ secretArns: [] });
    const twice = synthRole({ secretArns: [TOKEN_SECRET, TOKEN_SECRET] });

    // THEN
    expect(none.statements.flatMap((s) => asList(s.Action))).not.toContain('secretsmanager:GetSecretValue');
    expect(grants(twice.statements)['secretsmanager:GetSecretValue']).toEqual([TOKEN_SECRET]);
  });

  test('only CodeBuild may assume the role, and the policy is on the role, at the build address', () => {
    // WHEN
    const { synth } = synthRole();

    // THEN
    expect(synth.addresses().sort()).toEqual(['aws_iam_role.stg_server_build', 'aws_iam_role_policy.stg_server_build']);
    const role = synth.resource('aws_iam_role', 'stg_server_build');
    expect(role.name).toBe('stg-server-build-codebuild');
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(synth.resource('aws_iam_role_policy', 'stg_server_build').role).toBe('${aws_iam_role.stg_server_build.id}');
  });
});
