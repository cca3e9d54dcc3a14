import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesizeExamples } from '../support/stacks';
import { ARTICLE_ADDRESSES, PRODUCTION_SIDE } from '../support/synth';
import { describeWithTerraform, PlanResult, TerraformWorkdir } from '../support/terraform';

const stacks = synthesizeExamples();

/** What each example adds beyond the article's seven, written out (not derived from the code under test). */
const ADDED: Record<string, string[]> = {
  // roles and security groups given by ID: the managed log group, and the delivery pipeline
  stg: [
    'aws_cloudwatch_log_group.stg_server',
    'aws_cloudwatch_log_group.stg_server_build',
    'aws_codebuild_project.stg_server_build',
    'aws_codebuild_webhook.stg_server_build',
    'aws_iam_role.stg_server_build',
    'aws_iam_role_policy.stg_server_build',
  ],
  // roles and the security group created, a database path, and a 5-CIDR allowlist over two rules
  preview: [
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

describeWithTerraform('the example stacks, with the real Terraform (offline)', () => {
  describe.each(['stg', 'preview'])('%s', (name) => {
    let workdir: TerraformWorkdir;
    let plan: PlanResult;

    beforeAll(() => {
      // GIVEN the committed environment, synthesized and initialised from the provider mirror
      workdir = TerraformWorkdir.fromStack(stacks[name]).init();
    });
    afterAll(() => workdir?.dispose());

    // `terraform plan` validates the configuration first; `terraform validate` of every stack runs in
    // one call with the rendered HCL (review/hcl.test.ts), because each call costs ~4 s of provider schema.
    test('the offline plan creates the article’s seven addresses and the secure defaults’ resources, nothing else', () => {
      plan = workdir.plan();
      const expected = [...ARTICLE_ADDRESSES, ...ADDED[name]].sort();
      expect(plan.changes.map((change) => change.address).sort()).toEqual(expected);
      expect(plan.changes.filter((change) => change.action !== 'create')).toEqual([]);
      expect(plan.summary).toMatchObject({ add: expected.length, change: 0, remove: 0 });
    });

    test('no production-side resource is in the plan', () => {
      expect(plan.changes.filter((change) => PRODUCTION_SIDE.test(change.type))).toEqual([]);
    });
  });
});

describe('the two example stacks', () => {
  test('share nothing but production references: no managed name of one appears in the other', () => {
    const names = (stack: string) => {
      const resource = JSON.parse(fs.readFileSync(path.join(stacks[stack], 'cdk.tf.json'), 'utf8')).resource;
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
