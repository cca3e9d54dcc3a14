import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { TaskDefinition } from '../../src/constructs/task-definition';
import { synthScope } from '../support/synth';
import '../support/cdktf-matchers';

const IMAGE = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server:stg';

function containerDefinitions(synth: ReturnType<typeof synthScope>): Record<string, any>[] {
  return JSON.parse(synth.resource('aws_ecs_task_definition', 'stg_server').container_definitions);
}

describe('TaskDefinition', () => {
  test('defaults reproduce the article, section 1', () => {
    // GIVEN only the values the article leaves to the user
    // WHEN
    const synth = synthScope((scope) => {
      new TaskDefinition(scope, 'TaskDefinition', { region: 'ap-northeast-1', container: { image: IMAGE } });
    });

    // THEN the task definition carries the article's literal values at the article's address
    expect(synth.addresses()).toEqual(['aws_ecs_task_definition.stg_server']);
    expect(synth.json).toHaveResourceWithProperties(EcsTaskDefinition, {
      family: 'stg-server',
      requires_compatibilities: ['FARGATE'],
      network_mode: 'awsvpc',
      cpu: '256',
      memory: '512',
      runtime_platform: expect.objectContaining({ cpu_architecture: 'X86_64', operating_system_family: 'LINUX' }),
    });
    expect(containerDefinitions(synth)).toEqual([
      {
        cpu: 0,
        environment: [],
        essential: true,
        image: IMAGE,
        logConfiguration: {
          logDriver: 'awslogs',
          options: {
            'awslogs-create-group': 'true',
            'awslogs-group': 'stg-server',
            'awslogs-region': 'ap-northeast-1',
            'awslogs-stream-prefix': 'ecs',
          },
        },
        mountPoints: [],
        name: 'stg-server',
        portMappings: [{ containerPort: 1323, hostPort: 1323, protocol: 'tcp' }],
        secrets: [],
        volumesFrom: [],
      },
    ]);
  });

  test('given values replace the defaults, and secrets stay references', () => {
    // GIVEN
    const secretArn = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:prod/db-AbCdEf';
    // WHEN
    const synth = synthScope((scope) => {
      new TaskDefinition(scope, 'TaskDefinition', {
        family: 'preview-server',
        cpu: 512,
        memory: 1024,
        cpuArchitecture: 'ARM64',
        executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
        taskRoleArn: 'arn:aws:iam::123456789012:role/task',
        region: 'us-east-1',
        container: {
          name: 'api',
          image: IMAGE,
          port: 8080,
          command: ['./server', '--staging'],
          environment: { B: '2', A: '1' },
          secrets: { DB_PASSWORD: secretArn },
          logGroup: 'preview-server',
        },
      });
    });

    // THEN
    expect(synth.json).toHaveResourceWithProperties(EcsTaskDefinition, {
      family: 'preview-server',
      cpu: '512',
      memory: '1024',
      execution_role_arn: 'arn:aws:iam::123456789012:role/exec',
      task_role_arn: 'arn:aws:iam::123456789012:role/task',
      runtime_platform: expect.objectContaining({ cpu_architecture: 'ARM64' }),
    });
    const [container] = containerDefinitions(synth);
    expect(container).toMatchObject({
      name: 'api',
      command: ['./server', '--staging'],
      environment: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      secrets: [{ name: 'DB_PASSWORD', valueFrom: secretArn }],
      portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }],
    });
    expect(container.logConfiguration.options).toMatchObject({ 'awslogs-group': 'preview-server', 'awslogs-region': 'us-east-1' });
  });
});

describe('TaskDefinition readonlyRootFilesystem', () => {
  test.each([
    ['left out', undefined],
    ['false', false],
  ])('%s: the key is absent, so the article\'s container definition is unchanged', (_case, readonlyRootFilesystem) => {
    // WHEN
    const synth = synthScope((scope) => {
      new TaskDefinition(scope, 'TaskDefinition', { region: 'ap-northeast-1', container: { image: IMAGE, readonlyRootFilesystem } });
    });
    // THEN
    const [container] = containerDefinitions(synth);
    expect(Object.keys(container)).not.toContain('readonlyRootFilesystem');
  });

  test('true is written as true, in jsonencode\'s key order', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new TaskDefinition(scope, 'TaskDefinition', { region: 'ap-northeast-1', container: { image: IMAGE, readonlyRootFilesystem: true } });
    });
    // THEN
    const [container] = containerDefinitions(synth);
    expect(container.readonlyRootFilesystem).toBe(true);
    const keys = Object.keys(container);
    expect(keys).toEqual([...keys].sort());
  });
});

describe('TaskDefinition props validation', () => {
  test('a CPU/memory pair Fargate does not offer fails at synth, listing the valid sizes', () => {
    expect(() =>
      synthScope((scope) => new TaskDefinition(scope, 'TaskDefinition', { cpu: 512, memory: 512, region: 'ap-northeast-1', container: { image: IMAGE } })),
    ).toThrow(/memory: must be a Fargate memory size for cpu 512: 1024–4096 in steps of 1024 \(got 512\)/);
  });
});
