import { ExecutionRole, ExecutionRoleProps } from '../../src/constructs/execution-role';
import { synthScope } from '../support/synth';

const DB_SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:prod/db-AbCdEf';
const API_SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:stg/api-key-GhIjKl';
const DB_PARAMETER = 'arn:aws:ssm:ap-northeast-1:123456789012:parameter/stg/db/host';
const FLAG_PARAMETER = 'arn:aws:ssm:ap-northeast-1:123456789012:parameter/stg/feature-flag';
const KMS_KEY = 'arn:aws:kms:ap-northeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
}

function synthRole(props: Partial<ExecutionRoleProps> = {}) {
  return synthScope((scope) => {
    new ExecutionRole(scope, 'ExecutionRole', { name: 'stg-server-execution', region: 'ap-northeast-1', ...props });
  });
}

function statementsOf(policy: string): PolicyStatement[] {
  return (JSON.parse(policy) as { Statement: PolicyStatement[] }).Statement;
}

const asList = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The resources every statement granting `action` names, sorted. */
function resourcesFor(statements: PolicyStatement[], action: string): string[] {
  return statements.filter((s) => asList(s.Action).includes(action)).flatMap((s) => asList(s.Resource)).sort();
}

describe('ExecutionRole', () => {
  test('the secrets policy names exactly the listed secrets, parameters and key, and nothing on "*"', () => {
    // GIVEN the container's `secrets` values: a json-key reference to a secret that is also listed bare,
    // a second reference into the same secret, a second secret, two parameters (one listed twice), and a key
    const references = [
      `${DB_SECRET}:password::`,
      `${DB_SECRET}:username:AWSCURRENT:`,
      DB_SECRET,
      API_SECRET,
      DB_PARAMETER,
      FLAG_PARAMETER,
      DB_PARAMETER,
    ];

    // WHEN
    const synth = synthRole({ secretReferences: references, kmsKeyArn: KMS_KEY });

    // THEN one inline policy on the role
    const policy = synth.resource('aws_iam_role_policy', 'stg_server_execution_secrets');
    expect(policy.role).toBe('${aws_iam_role.stg_server_execution.id}');
    const statements = statementsOf(policy.policy);

    // Secrets Manager: the bare secret ARNs, each once (the json-key suffix stripped, duplicates collapsed)
    expect(resourcesFor(statements, 'secretsmanager:GetSecretValue')).toEqual([DB_SECRET, API_SECRET].sort());
    // SSM: exactly the parameter ARNs, each once
    expect(resourcesFor(statements, 'ssm:GetParameters')).toEqual([DB_PARAMETER, FLAG_PARAMETER].sort());
    // KMS: exactly the given key
    expect(resourcesFor(statements, 'kms:Decrypt')).toEqual([KMS_KEY]);
    // and those three grants are all there is
    expect(statements.flatMap((s) => asList(s.Action)).sort()).toEqual(['kms:Decrypt', 'secretsmanager:GetSecretValue', 'ssm:GetParameters']);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    // no statement grants on every resource, nor on a wildcard of any kind
    for (const statement of statements) {
      expect(statement.Resource).toBeDefined();
      expect(statement.Resource).not.toBe('*');
      for (const resource of asList(statement.Resource)) expect(resource).not.toContain('*');
    }
  });

  test('a secret ARN with a json-key, version stage and version id still grants the bare secret ARN', () => {
    // WHEN
    const synth = synthRole({ secretReferences: [`${DB_SECRET}:password:AWSPREVIOUS:`, `${API_SECRET}:token::EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE`] });
    // THEN
    const statements = statementsOf(synth.resource('aws_iam_role_policy', 'stg_server_execution_secrets').policy);
    expect(statements).toEqual([{ Sid: 'ReadSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [DB_SECRET, API_SECRET].sort() }]);
  });

  test('only SSM parameters: no Secrets Manager or KMS statement', () => {
    // WHEN
    const synth = synthRole({ secretReferences: [DB_PARAMETER] });
    // THEN
    const statements = statementsOf(synth.resource('aws_iam_role_policy', 'stg_server_execution_secrets').policy);
    expect(statements).toEqual([{ Sid: 'ReadParameters', Effect: 'Allow', Action: ['ssm:GetParameters'], Resource: [DB_PARAMETER] }]);
  });

  test.each([
    ['no secretReferences', {}],
    ['an empty list', { secretReferences: [] }],
  ])('with %s there is no inline policy at all', (_case, props) => {
    // WHEN
    const synth = synthRole(props);
    // THEN only the role and the managed policy attachment
    expect(synth.addresses().sort()).toEqual(['aws_iam_role.stg_server_execution', 'aws_iam_role_policy_attachment.stg_server_execution_managed']);
    expect(synth.json).not.toContain('aws_iam_role_policy"');
  });

  test('the role is assumed by ECS tasks and carries the AWS managed task-execution policy', () => {
    // WHEN
    const synth = synthRole();
    // THEN
    const role = synth.resource('aws_iam_role', 'stg_server_execution');
    expect(role.name).toBe('stg-server-execution');
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(synth.resource('aws_iam_role_policy_attachment', 'stg_server_execution_managed')).toEqual({
      role: '${aws_iam_role.stg_server_execution.name}',
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy',
    });
  });

  test.each([
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-east-1', 'aws'],
  ])('in %s the managed policy ARN uses the %s partition', (region, partition) => {
    // WHEN
    const synth = synthRole({ region });
    // THEN
    expect(synth.resource('aws_iam_role_policy_attachment', 'stg_server_execution_managed').policy_arn).toBe(
      `arn:${partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy`,
    );
  });
});
