import { TaskRole, TaskRoleProps } from '../../src/constructs/task-role';
import { synthScope } from '../support/synth';

const LOG_GROUP_ARN = 'arn:aws:logs:ap-northeast-1:123456789012:log-group:stg-server';
const BUCKET_OBJECTS = 'arn:aws:s3:::stg-uploads/*';
const QUEUE = 'arn:aws:sqs:ap-northeast-1:123456789012:stg-jobs';

interface PolicyStatement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string | string[];
}

function synthPolicy(props: Partial<TaskRoleProps>) {
  const synth = synthScope((scope) => {
    new TaskRole(scope, 'TaskRole', { name: 'stg-server-task', ...props });
  });
  const policy = synth.resource('aws_iam_role_policy', 'stg_server_task_policy');
  return { synth, policy, statements: (JSON.parse(policy.policy) as { Statement: PolicyStatement[] }).Statement };
}

const APPLICATION = [
  { actions: ['s3:GetObject', 's3:PutObject'], resources: [BUCKET_OBJECTS] },
  { actions: ['sqs:SendMessage'], resources: [QUEUE] },
];

describe('TaskRole', () => {
  test('with ECS Exec: the SSM channels and DescribeLogGroups on "*", writing logs only to the exec log group', () => {
    // WHEN
    const { synth, policy, statements } = synthPolicy({ execEnabled: true, execLogGroupArn: LOG_GROUP_ARN });
    // THEN
    expect(synth.addresses().sort()).toEqual(['aws_iam_role.stg_server_task', 'aws_iam_role_policy.stg_server_task_policy']);
    expect(policy.role).toBe('${aws_iam_role.stg_server_task.id}');
    expect(statements).toEqual([
      {
        Sid: 'ExecChannels',
        Effect: 'Allow',
        Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
        Resource: '*',
      },
      { Sid: 'ExecFindLogGroup', Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: '*' },
      {
        Sid: 'ExecWriteLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        Resource: [`${LOG_GROUP_ARN}:*`],
      },
    ]);
  });

  test('with ECS Exec and statements: the exec statements, then the application ones', () => {
    // WHEN
    const { statements } = synthPolicy({ execEnabled: true, execLogGroupArn: LOG_GROUP_ARN, statements: APPLICATION });
    // THEN
    expect(statements.map((s) => s.Sid)).toEqual(['ExecChannels', 'ExecFindLogGroup', 'ExecWriteLogs', 'Application1', 'Application2']);
  });

  test('without ECS Exec: only the application statements, by exact ARN', () => {
    // WHEN an exec log group is given but exec is off
    const { statements } = synthPolicy({ execEnabled: false, execLogGroupArn: LOG_GROUP_ARN, statements: APPLICATION });
    // THEN
    expect(statements).toEqual([
      { Sid: 'Application1', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: [BUCKET_OBJECTS] },
      { Sid: 'Application2', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [QUEUE] },
    ]);
    const actions = statements.flatMap((s) => s.Action);
    expect(actions.some((a) => a.startsWith('ssmmessages:') || a.startsWith('logs:'))).toBe(false);
  });

  test('the role is assumed by ECS tasks', () => {
    // WHEN
    const { synth } = synthPolicy({ statements: APPLICATION });
    // THEN
    const role = synth.resource('aws_iam_role', 'stg_server_task');
    expect(role.name).toBe('stg-server-task');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
  });
});

describe('TaskRole props validation', () => {
  test('execEnabled without execLogGroupArn fails at synth, naming the field', () => {
    expect(() => synthScope((scope) => new TaskRole(scope, 'TaskRole', { name: 'stg-server-task', execEnabled: true }))).toThrow(
      /TaskRole: execLogGroupArn: is required when execEnabled is true/,
    );
  });
});
