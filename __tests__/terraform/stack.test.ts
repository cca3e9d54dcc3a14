import { synthesizeExamples } from '../support/stacks';
import { describeWithTerraform, PlannedChange, TerraformWorkdir } from '../support/terraform';

const ARTICLE_ADDRESSES = [
  'aws_alb_listener_rule.stg_server_rule',
  'aws_ecr_lifecycle_policy.stg-server-lifecycle_policy',
  'aws_ecs_cluster.stg_ecs_cluster',
  'aws_ecs_service.stg_server',
  'aws_ecs_task_definition.stg_server',
  'aws_lb_target_group.stg_server_target',
  'aws_route53_record.stg_server',
];

describeWithTerraform('the synthesized stg stack, with the real Terraform (offline)', () => {
  let workdir: TerraformWorkdir;
  let changes: PlannedChange[];

  beforeAll(() => {
    // GIVEN the committed environment, synthesized and initialised from the provider mirror
    const stacks = synthesizeExamples();
    workdir = TerraformWorkdir.fromStack(stacks.stg).init();
  });
  afterAll(() => workdir?.dispose());

  test('terraform validate passes', () => {
    // WHEN
    const result = workdir.validate();
    // THEN
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('the offline plan creates exactly the article’s seven addresses, and nothing else', () => {
    // WHEN
    changes = workdir.plannedChanges();
    // THEN
    expect(changes.map((change) => change.address).sort()).toEqual(ARTICLE_ADDRESSES);
    expect(changes.every((change) => change.actions.join() === 'create')).toBe(true);
  });

  test('the plan touches production only through the listener rule and the DNS record', () => {
    // GIVEN the plan above
    const byAddress = Object.fromEntries(changes.map((change) => [change.address, change.after ?? {}]));
    // THEN the rule sits on the existing listener, the record points at the existing ALB
    expect(byAddress['aws_alb_listener_rule.stg_server_rule'].listener_arn).toMatch(/:listener\/app\/prod-alb\//);
    expect(byAddress['aws_route53_record.stg_server'].records).toEqual(['prod-alb-1234567890.ap-northeast-1.elb.amazonaws.com']);
    // and no resource of a production-side type is managed
    const productionSide = /^aws_(lb|alb|lb_listener|alb_listener|vpc|subnet|security_group|route53_zone|ecr_repository)$/;
    expect(changes.filter((change) => productionSide.test(change.type))).toEqual([]);
  });

  test('port 1323 and /healthcheck reach the plan', () => {
    const byAddress = Object.fromEntries(changes.map((change) => [change.address, change.after ?? {}]));
    const targetGroup = byAddress['aws_lb_target_group.stg_server_target'];
    expect(targetGroup.port).toBe(1323);
    expect(targetGroup.health_check).toEqual([expect.objectContaining({ path: '/healthcheck', interval: 30, timeout: 5 })]);
    expect(byAddress['aws_ecs_service.stg_server'].load_balancer).toEqual([expect.objectContaining({ container_port: 1323 })]);
  });
});
