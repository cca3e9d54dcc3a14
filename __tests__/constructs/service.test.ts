import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { Service, ServiceProps } from '../../src/constructs/service';
import { synthScope } from '../support/synth';
import '../support/cdktf-matchers';

const REQUIRED: ServiceProps = {
  clusterArn: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/stg_ecs_cluster',
  taskDefinitionFamily: 'stg-server',
  targetGroupArn: 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/stg-server-target/0123456789abcdef',
  containerName: 'stg-server',
  containerPort: 1323,
  subnetIds: ['subnet-0123456789abcdef0'],
  securityGroupIds: ['sg-0123456789abcdef0'],
};

describe('Service', () => {
  test('defaults reproduce the article, section 4', () => {
    // GIVEN only the references the article leaves to the user
    // WHEN
    const synth = synthScope((scope) => {
      new Service(scope, 'Service', REQUIRED);
    });

    // THEN
    expect(synth.addresses()).toEqual(['aws_ecs_service.stg_server']);
    expect(synth.json).toHaveResourceWithProperties(EcsService, {
      name: 'stg-server',
      cluster: REQUIRED.clusterArn,
      task_definition: 'stg-server',
      desired_count: 1,
      deployment_maximum_percent: 200,
      deployment_minimum_healthy_percent: 100,
      launch_type: 'FARGATE',
      enable_execute_command: true,
      load_balancer: [
        expect.objectContaining({ target_group_arn: REQUIRED.targetGroupArn, container_name: 'stg-server', container_port: 1323 }),
      ],
      network_configuration: expect.objectContaining({
        subnets: ['subnet-0123456789abcdef0'],
        security_groups: ['sg-0123456789abcdef0'],
        assign_public_ip: true,
      }),
      // deploys happen in CI; Terraform must not roll the service back to its revision
      lifecycle: expect.objectContaining({ ignore_changes: ['task_definition'] }),
    });
  });

  test('given values replace the defaults', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new Service(scope, 'Service', {
        ...REQUIRED,
        name: 'preview-server',
        desiredCount: 2,
        deploymentMaximumPercent: 150,
        deploymentMinimumHealthyPercent: 50,
        enableExecuteCommand: false,
        assignPublicIp: false,
      });
    });

    // THEN
    expect(synth.resource('aws_ecs_service', 'stg_server')).toMatchObject({
      name: 'preview-server',
      desired_count: 2,
      deployment_maximum_percent: 150,
      deployment_minimum_healthy_percent: 50,
      enable_execute_command: false,
      network_configuration: { assign_public_ip: false },
    });
  });

  test('deployment safety by default: a circuit breaker that rolls back, and 60 s of grace for a starting task', () => {
    // GIVEN only the references
    // WHEN
    const synth = synthScope((scope) => {
      new Service(scope, 'Service', REQUIRED);
    });

    // THEN
    const service = synth.resource('aws_ecs_service', 'stg_server');
    expect(service.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    expect(service.health_check_grace_period_seconds).toBe(60);
  });

  test('circuitBreaker: false writes no block at all, and a grace period of 0 is written as 0', () => {
    // GIVEN the article's settings. Its state holds an all-false circuit breaker block, which an absent
    // block leaves alone; an explicit all-false block would be a change of its own.
    // WHEN
    const synth = synthScope((scope) => {
      new Service(scope, 'Service', { ...REQUIRED, circuitBreaker: false, healthCheckGracePeriodSeconds: 0 });
    });

    // THEN
    const service = synth.resource('aws_ecs_service', 'stg_server');
    expect(service).not.toHaveProperty('deployment_circuit_breaker');
    expect(service.health_check_grace_period_seconds).toBe(0);
  });
});

describe('Service capacity and schedule', () => {
  test('a capacity provider strategy replaces the launch type, and forces the new deployment AWS requires to switch', () => {
    // GIVEN / WHEN
    const synth = synthScope((scope) => {
      new Service(scope, 'Service', { ...REQUIRED, capacityProviderStrategy: [{ capacityProvider: 'FARGATE', base: 1, weight: 0 }, { capacityProvider: 'FARGATE_SPOT', weight: 1 }] });
    });
    // THEN
    const service = synth.resource('aws_ecs_service', 'stg_server');
    expect(service.launch_type).toBeUndefined();
    expect(service.capacity_provider_strategy).toEqual([
      { capacity_provider: 'FARGATE', base: 1, weight: 0 },
      { capacity_provider: 'FARGATE_SPOT', weight: 1 },
    ]);
    expect(service.force_new_deployment).toBe(true);
  });

  test('without a strategy the service keeps the article\'s launch_type and no forced deployment', () => {
    // GIVEN / WHEN
    const synth = synthScope((scope) => {
      new Service(scope, 'Service', REQUIRED);
    });
    // THEN
    const service = synth.resource('aws_ecs_service', 'stg_server');
    expect(service.launch_type).toBe('FARGATE');
    expect(service).not.toHaveProperty('capacity_provider_strategy');
    expect(service).not.toHaveProperty('force_new_deployment');
  });

  test.each([
    ['CI deploys (the article)', {}, ['task_definition', 'desired_count']],
    ['Terraform deploys (previews)', { taskDefinitionArn: '${aws_ecs_task_definition.stg_server.arn}' }, ['desired_count']],
  ])('a scheduled service leaves desired_count to the schedule: %s', (_, props, ignored) => {
    // GIVEN / WHEN
    const synth = synthScope((scope) => {
      new Service(scope, 'Service', { ...REQUIRED, ...props, scheduled: true });
    });
    // THEN
    expect(synth.resource('aws_ecs_service', 'stg_server').lifecycle).toEqual({ ignore_changes: ignored });
  });
});
