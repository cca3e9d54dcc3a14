import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempProject } from '../support/environments';
import { synthesizeFixtures } from '../support/stacks';
import { PRODUCTION_SIDE, PROJECT_ROOT, STG_ADDED_ADDRESSES } from '../support/synth';
import { describeWithTerraform, TerraformWorkdir } from '../support/terraform';
import { changesByModule, moduleWorkspace, terraformFiles } from '../support/workspace';

const FIXTURE = path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'article');
const STATE = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'terraform.tfstate'), 'utf8'));
const ARTICLE_ADDRESSES: string[] = STATE.resources.map((r: { type: string; name: string }) => `${r.type}.${r.name}`).sort();
/** What each example adds beyond the article's seven, written out (not derived from the code under test). */
const ADDED: Record<string, string[]> = {
  // roles given by ARN: the managed log group, the tasks' security group, and the delivery pipeline
  stg: STG_ADDED_ADDRESSES,
  // roles and the security group created, a database path, a 5-CIDR allowlist over two rules, working hours and Spot
  preview: [
    'aws_appautoscaling_scheduled_action.stg_server_sleep',
    'aws_appautoscaling_scheduled_action.stg_server_wake',
    'aws_appautoscaling_target.stg_server',
    'aws_ecs_cluster_capacity_providers.stg_ecs_cluster',
    'aws_alb_listener_rule.stg_server_rule_2',
    'aws_cloudwatch_log_group.stg_server',
    'aws_iam_role.stg_server_execution',
    'aws_iam_role.stg_server_task',
    'aws_iam_role_policy.stg_server_execution_secrets',
    'aws_iam_role_policy.stg_server_task_policy',
    'aws_iam_role_policy_attachment.stg_server_execution_managed',
    'aws_security_group.stg_server',
    'aws_vpc_security_group_egress_rule.stg_server_egress',
    'aws_vpc_security_group_ingress_rule.database_from_stg_server',
    'aws_vpc_security_group_ingress_rule.stg_server_from_alb',
  ],
};

const EXAMPLES = synthesizeFixtures();
const ARTICLE_JSON = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'article.json'), 'utf8'));

/**
 * Every configuration under test as a child module of one workspace, most with their own copy of the
 * article's state, so that one `terraform plan -refresh=false` (offline) answers for all of them.
 * (A plan costs ~4 s of provider schema; one per configuration would cost seven times that.
 * `terraform plan` validates first; `terraform validate` of every stack also runs in one call with
 * the rendered HCL, review/hcl.test.ts.)
 */
const MODULES: Record<string, { source: string; renamed: Record<string, string>; state?: false }> = {
  /** The examples as a new team would apply them: no state. */
  stg: { source: 'stg', renamed: {}, state: false },
  preview: { source: 'preview', renamed: {}, state: false },
  /** The article's own HCL (fixtures/article/main.tf): proves the state fixture is really its state. */
  article_hcl: { source: FIXTURE, renamed: {} },
  /** Step 1: fixtures/article/article.json, the article reproduced by an environment file. */
  step1: { source: 'article', renamed: {} },
  /** Step 2: environments/stg.json, with the secure defaults and the pipeline. */
  step2: { source: 'stg', renamed: {} },
  /** Step 1, then the team turns on Fargate Spot and working hours: what an adopter sees. */
  spot: { source: 'spot', renamed: {} },
  /** An address changed since: state holds the cluster as aws_ecs_cluster.staging; the file says adopt.movedFrom. */
  moved: { source: 'moved', renamed: { 'aws_ecs_cluster.stg_ecs_cluster': 'staging' } },
  /** Control: step 1 with another health-check path, and the cluster under another address without a move. */
  control: { source: 'article', renamed: {} },
};

/** The control's two changes, made to the synthesized JSON. */
function breakControl(json: string): string {
  const stack = JSON.parse(json);
  stack.resource.aws_lb_target_group.stg_server_target.health_check.path = '/other';
  stack.resource.aws_ecs_cluster.renamed = stack.resource.aws_ecs_cluster.stg_ecs_cluster;
  delete stack.resource.aws_ecs_cluster.stg_ecs_cluster;
  stack.resource.aws_ecs_service.stg_server.cluster = '${aws_ecs_cluster.renamed.arn}';
  return JSON.stringify(stack);
}

function stateFor(modules: readonly string[]) {
  const resources = modules.flatMap((module) =>
    STATE.resources.map((resource: { type: string; name: string }) => ({
      ...resource,
      module: `module.${module}`,
      name: MODULES[module].renamed[`${resource.type}.${resource.name}`] ?? resource.name,
      // the modules inherit the root provider (see moduleWorkspace)
      provider: `provider["registry.terraform.io/hashicorp/aws"]`,
    })),
  );
  return JSON.stringify({ ...STATE, resources });
}

describeWithTerraform('offline plans: the examples from scratch, and adopting the article’s resources', () => {
  let workdir: TerraformWorkdir;
  let changes: Record<string, [string, string][]>;

  beforeAll(() => {
    // GIVEN the configurations, synthesized from their environment files
    const moved = { ...ARTICLE_JSON, adopt: { movedFrom: { cluster: 'aws_ecs_cluster.staging' } } };
    const spot = { ...ARTICLE_JSON, service: { ...ARTICLE_JSON.service, capacity: 'FARGATE_SPOT', schedule: { timezone: 'Asia/Tokyo', wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)' } } };
    // (separate projects: two files for the same resources would rightly fail the across-file rules)
    const stacks = {
      ...EXAMPLES,
      ...synthesizeFixtures(tempProject({ article: ARTICLE_JSON }).environmentsDir),
      ...synthesizeFixtures(tempProject({ moved }).environmentsDir),
      ...synthesizeFixtures(tempProject({ spot }).environmentsDir),
    };
    const modules = Object.fromEntries(
      Object.entries(MODULES).map(([name, { source }]) => {
        const files = terraformFiles(source === FIXTURE ? FIXTURE : stacks[source]);
        if (name === 'control') files['cdk.tf.json'] = breakControl(files['cdk.tf.json']);
        return [name, files];
      }),
    );
    workdir = moduleWorkspace(modules, stateFor(Object.keys(MODULES).filter((name) => MODULES[name].state !== false)));
    // WHEN
    changes = changesByModule(workdir.plan('-refresh=false').changes);
  });
  afterAll(() => workdir?.dispose());

  test.each(['stg', 'preview'])('%s from scratch: creates the article’s seven addresses and the secure defaults’ resources, nothing else', (name) => {
    expect(changes[name]).toEqual([...ARTICLE_ADDRESSES, ...ADDED[name]].sort().map((address) => [address, 'create']));
  });

  test.each(['stg', 'preview'])('%s from scratch: no production-side resource is in the plan', (name) => {
    expect(changes[name].filter(([address]) => PRODUCTION_SIDE.test(address.split('.')[0]))).toEqual([]);
  });

  test('the state fixture holds the article’s seven resources, and the article’s own HCL plans no change against it', () => {
    expect(ARTICLE_ADDRESSES).toHaveLength(7);
    expect(changes.article_hcl).toBeUndefined();
  });

  test('step 1 (article.json): no change to any of the seven; the log group is the only create', () => {
    expect(changes.step1).toEqual([['aws_cloudwatch_log_group.stg_server', 'create']]);
  });

  test('step 2 (stg.json): three of the seven updated in place, the ECR policy replaced (2 images kept), nothing deleted', () => {
    expect(changes.step2).toEqual([
      ['aws_alb_listener_rule.stg_server_rule', 'update'],
      ['aws_cloudwatch_log_group.stg_server', 'create'],
      ['aws_cloudwatch_log_group.stg_server_build', 'create'],
      ['aws_codebuild_project.stg_server_build', 'create'],
      ['aws_codebuild_webhook.stg_server_build', 'create'],
      // the provider replaces a lifecycle policy to change it: one PutLifecyclePolicy, no image touched
      ['aws_ecr_lifecycle_policy.stg-server-lifecycle_policy', 'replace'],
      ['aws_ecs_cluster.stg_ecs_cluster', 'update'],
      ['aws_ecs_service.stg_server', 'update'],
      ['aws_iam_role.stg_server_build', 'create'],
      ['aws_iam_role_policy.stg_server_build', 'create'],
      ['aws_security_group.stg_server', 'create'],
      ['aws_vpc_security_group_egress_rule.stg_server_egress', 'create'],
      ['aws_vpc_security_group_ingress_rule.stg_server_from_alb', 'create'],
    ]);
  });

  test('turning on Spot and working hours over the article: the service is replaced (launch type to strategy forces it), the rest is added', () => {
    // What an adopter sees (docs/working-hours-and-cost.md, "Fargate Spot"): the provider forces a new service
    // when a strategy replaces launch_type, so staging is down for one create; nothing else of the seven changes.
    expect(changes.spot).toEqual([
      ['aws_appautoscaling_scheduled_action.stg_server_sleep', 'create'],
      ['aws_appautoscaling_scheduled_action.stg_server_wake', 'create'],
      ['aws_appautoscaling_target.stg_server', 'create'],
      ['aws_cloudwatch_log_group.stg_server', 'create'],
      ['aws_ecs_cluster_capacity_providers.stg_ecs_cluster', 'create'],
      ['aws_ecs_service.stg_server', 'replace'],
    ]);
  });

  test('a changed address with adopt.movedFrom is a move: no destroy, no create, no change', () => {
    expect(changes.moved).toEqual([
      ['aws_cloudwatch_log_group.stg_server', 'create'],
      ['aws_ecs_cluster.stg_ecs_cluster', 'move'],
    ]);
  });

  test('control: a changed value and a changed address without a move do show up, so the tests above can fail', () => {
    expect(changes.control).toEqual([
      ['aws_cloudwatch_log_group.stg_server', 'create'],
      ['aws_ecs_cluster.renamed', 'create'],
      ['aws_ecs_cluster.stg_ecs_cluster', 'delete'],
      ['aws_ecs_service.stg_server', 'replace'],
      ['aws_lb_target_group.stg_server_target', 'update'],
    ]);
  });
});

describe('the two example stacks', () => {
  test('share nothing but production references: no managed name of one appears in the other', () => {
    const names = (stack: string) => {
      const resource = JSON.parse(fs.readFileSync(path.join(EXAMPLES[stack], 'cdk.tf.json'), 'utf8')).resource;
      return [
        resource.aws_lb_target_group.stg_server_target.name,
        resource.aws_ecs_cluster.stg_ecs_cluster.name,
        resource.aws_ecs_task_definition.stg_server.family,
        resource.aws_ecr_lifecycle_policy['stg-server-lifecycle_policy'].repository,
        resource.aws_route53_record.stg_server.name,
      ];
    };
    const stg = names('stg');
    expect(names('preview').filter((name) => stg.includes(name))).toEqual([]);
  });
});
