import { environmentSchema } from '../src/environment/schema';
import { StagingEnvironment } from '../src/stack/staging-environment';
import { fixtureJson, setPath } from './support/environments';
import { ARTICLE_ADDRESSES, fixtureConfig, PRODUCTION_SIDE, STG_ADDED_ADDRESSES, synthScope } from './support/synth';

describe('StagingEnvironment', () => {
  test('the example environment synthesizes the article’s seven addresses, plus its log group and its pipeline', () => {
    // GIVEN environments/stg.json
    const config = fixtureConfig();
    // WHEN
    const synth = synthScope((scope) => {
      new StagingEnvironment(scope, 'Staging', { config });
    });
    // THEN
    expect(synth.addresses().sort()).toEqual([...ARTICLE_ADDRESSES, ...STG_ADDED_ADDRESSES].sort());
  });

  test('resources refer to each other, and port 1323 is used everywhere', () => {
    // GIVEN
    const config = fixtureConfig();
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
    // ECS rejects a target group no load balancer uses yet, so the rule must exist first; and the log
    // group before the first task, or awslogs-create-group makes it and Terraform's create fails
    expect(service.depends_on).toEqual(['aws_alb_listener_rule.stg_server_rule', 'aws_cloudwatch_log_group.stg_server']);
    expect(synth.resource('aws_lb_target_group', 'stg_server_target').port).toBe(1323);
    expect(synth.resource('aws_alb_listener_rule', 'stg_server_rule').action).toEqual([
      { type: 'forward', target_group_arn: '${aws_lb_target_group.stg_server_target.arn}' },
    ]);
    const [container] = JSON.parse(synth.resource('aws_ecs_task_definition', 'stg_server').container_definitions);
    expect(container.portMappings).toEqual([{ containerPort: 1323, hostPort: 1323, protocol: 'tcp' }]);
  });

  test('a different container port reaches the target group and the service', () => {
    // GIVEN
    const config = fixtureConfig();
    const changed = { ...config, taskDefinition: { ...config.taskDefinition, container: { ...config.taskDefinition.container, port: 8080 } } };
    // WHEN
    const synth = synthScope((scope) => {
      new StagingEnvironment(scope, 'Staging', { config: changed });
    });
    // THEN
    expect(synth.resource('aws_lb_target_group', 'stg_server_target').port).toBe(8080);
    expect(synth.resource('aws_ecs_service', 'stg_server').load_balancer[0].container_port).toBe(8080);
  });

  test.each([
    ['keepImages 1 (the article’s): the article’s exact text', 1, undefined, '最新の1イメージを残す'],
    ['keepImages 2: the same sentence with 2', 2, undefined, '最新の2イメージを残す'],
    ['keepImages 5: the same sentence with 5', 5, undefined, '最新の5イメージを残す'],
    ['a description of the file’s own, whatever keepImages', 2, 'keep two', 'keep two'],
  ])('the ECR rule’s description follows keepImages unless the file gives one: %s', (_name, keepImages, description, expected) => {
    // GIVEN stg.json with that keepImages and description (the schema fills the defaults, as synth does)
    const json = setPath(setPath(fixtureJson('stg'), 'ecrLifecycle.keepImages', keepImages), 'ecrLifecycle.description', description);
    const config = environmentSchema.parse(json);
    // WHEN
    const synth = synthScope((scope) => {
      new StagingEnvironment(scope, 'Staging', { config });
    });
    // THEN
    const [rule] = JSON.parse(synth.resource('aws_ecr_lifecycle_policy', 'stg-server-lifecycle_policy').policy).rules;
    expect(rule.description).toBe(expected);
    expect(rule.selection.countNumber).toBe(keepImages);
  });

  test('nothing on the production side is managed', () => {
    // GIVEN
    const config = fixtureConfig();
    // WHEN
    const synth = synthScope((scope) => {
      new StagingEnvironment(scope, 'Staging', { config });
    });
    // THEN no load balancer, listener, VPC, subnet, zone, repository or role resource
    expect(synth.addresses().filter((address) => PRODUCTION_SIDE.test(address.split('.')[0]))).toEqual([]);
  });

  test('the example can only be reached through its allowlist: every rule for its host carries a source_ip condition', () => {
    // GIVEN both examples
    for (const name of ['stg', 'preview']) {
      const config = fixtureConfig(name);
      // WHEN
      const synth = synthScope((scope) => {
        new StagingEnvironment(scope, 'Staging', { config });
      });
      // THEN
      const rules = synth.addresses().filter((address) => address.startsWith('aws_alb_listener_rule.'));
      const allowed = rules.flatMap((address) => synth.resource('aws_alb_listener_rule', address.split('.')[1]).condition.flatMap((c: any) => c.source_ip?.values ?? []));
      expect(rules.length).toBeGreaterThan(0);
      for (const address of rules) {
        const conditions = synth.resource('aws_alb_listener_rule', address.split('.')[1]).condition;
        expect(conditions.map((c: any) => Object.keys(c)[0])).toEqual(['host_header', 'source_ip']);
      }
      expect(allowed.sort()).toEqual([...config.listenerRule.access!.sourceIps!].sort());
    }
  });

  test('the created execution role may read exactly the secrets the file lists, and nothing else', () => {
    // GIVEN preview.json, which leaves the roles to the stack
    const config = fixtureConfig('preview');
    // WHEN
    const synth = synthScope((scope) => {
      new StagingEnvironment(scope, 'Staging', { config });
    });
    // THEN
    const policy = JSON.parse(synth.resource('aws_iam_role_policy', 'stg_server_execution_secrets').policy);
    const granted = policy.Statement.flatMap((statement: any) => statement.Resource);
    expect(granted.sort()).toEqual(Object.values(config.taskDefinition.container.secrets!).sort());
    const definition = synth.resource('aws_ecs_task_definition', 'stg_server');
    expect(definition.execution_role_arn).toBe('${aws_iam_role.stg_server_execution.arn}');
    expect(definition.task_role_arn).toBe('${aws_iam_role.stg_server_task.arn}');
  });

  test('exec sessions are logged to the managed log group, which has a retention', () => {
    // GIVEN
    const config = fixtureConfig();
    // WHEN
    const synth = synthScope((scope) => {
      new StagingEnvironment(scope, 'Staging', { config });
    });
    // THEN
    expect(synth.resource('aws_ecs_service', 'stg_server').enable_execute_command).toBe(true);
    expect(synth.resource('aws_ecs_cluster', 'stg_ecs_cluster').configuration.execute_command_configuration).toEqual({
      logging: 'OVERRIDE',
      log_configuration: { cloud_watch_encryption_enabled: false, cloud_watch_log_group_name: '${aws_cloudwatch_log_group.stg_server.name}' },
    });
    const logGroup = synth.resource('aws_cloudwatch_log_group', 'stg_server');
    expect(logGroup).toMatchObject({ name: 'stg-server', retention_in_days: 30 });
    const [container] = JSON.parse(synth.resource('aws_ecs_task_definition', 'stg_server').container_definitions);
    expect(container.logConfiguration.options['awslogs-group']).toBe(logGroup.name);
  });

  test('without given groups, the service runs in its own group that admits only the ALB, and the database admits that group', () => {
    // GIVEN
    const config = fixtureConfig('preview');
    // WHEN
    const synth = synthScope((scope) => {
      new StagingEnvironment(scope, 'Staging', { config });
    });
    // THEN
    expect(synth.resource('aws_ecs_service', 'stg_server').network_configuration.security_groups).toEqual(['${aws_security_group.stg_server.id}']);
    expect(synth.resource('aws_vpc_security_group_ingress_rule', 'stg_server_from_alb')).toMatchObject({
      referenced_security_group_id: config.service.loadBalancerSecurityGroupId,
      from_port: 1323,
      to_port: 1323,
    });
    expect(synth.resource('aws_vpc_security_group_ingress_rule', 'database_from_stg_server')).toMatchObject({
      security_group_id: config.service.database!.securityGroupId,
      referenced_security_group_id: '${aws_security_group.stg_server.id}',
      from_port: 5432,
    });
  });
});
