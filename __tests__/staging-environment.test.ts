import { StagingEnvironment } from '../src/staging-environment';
import { ARTICLE_ADDRESSES, exampleConfig, PRODUCTION_SIDE, synthScope } from './support/synth';

describe('StagingEnvironment', () => {
  test('the example environment synthesizes the article’s seven addresses, plus only its log group', () => {
    // GIVEN environments/stg.json
    const config = exampleConfig();
    // WHEN
    const synth = synthScope((scope) => {
      new StagingEnvironment(scope, 'Staging', { config });
    });
    // THEN
    expect(synth.addresses().sort()).toEqual([...ARTICLE_ADDRESSES, 'aws_cloudwatch_log_group.stg_server'].sort());
  });

  test('resources refer to each other, and port 1323 is used everywhere', () => {
    // GIVEN
    const config = exampleConfig();
    // WHEN
    const synth = synthScope((scope) => {
      new StagingEnvironment(scope, 'Staging', { config });
    });
    // THEN
    const service = synth.resource('aws_ecs_service', 'stg_server');
    expect(service.cluster).toBe('${aws_ecs_cluster.stg_ecs_cluster.arn}');
    expect(service.task_definition).toBe('stg-server');
    expect(service.load_balancer).toEqual([
      { target_group_arn: '${aws_lb_target_group.stg_server_target.arn}', container_name: 'stg-server', container_port: 1323 },
    ]);
    // ECS rejects a target group no load balancer uses yet, so the rule must exist first
    expect(service.depends_on).toEqual(['aws_alb_listener_rule.stg_server_rule']);
    expect(synth.resource('aws_lb_target_group', 'stg_server_target').port).toBe(1323);
    expect(synth.resource('aws_alb_listener_rule', 'stg_server_rule').action).toEqual([
      { type: 'forward', target_group_arn: '${aws_lb_target_group.stg_server_target.arn}' },
    ]);
    const [container] = JSON.parse(synth.resource('aws_ecs_task_definition', 'stg_server').container_definitions);
    expect(container.portMappings).toEqual([{ containerPort: 1323, hostPort: 1323, protocol: 'tcp' }]);
  });

  test('a different container port reaches the target group and the service', () => {
    // GIVEN
    const config = exampleConfig();
    const changed = { ...config, taskDefinition: { ...config.taskDefinition, container: { ...config.taskDefinition.container, port: 8080 } } };
    // WHEN
    const synth = synthScope((scope) => {
      new StagingEnvironment(scope, 'Staging', { config: changed });
    });
    // THEN
    expect(synth.resource('aws_lb_target_group', 'stg_server_target').port).toBe(8080);
    expect(synth.resource('aws_ecs_service', 'stg_server').load_balancer[0].container_port).toBe(8080);
  });

  test('nothing on the production side is managed', () => {
    // GIVEN
    const config = exampleConfig();
    // WHEN
    const synth = synthScope((scope) => {
      new StagingEnvironment(scope, 'Staging', { config });
    });
    // THEN no load balancer, listener, VPC, subnet, zone, repository or role resource
    expect(synth.addresses().filter((address) => PRODUCTION_SIDE.test(address.split('.')[0]))).toEqual([]);
  });
});
