import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempProject } from '../support/environments';
import { synthesizeExamples } from '../support/stacks';
import { PROJECT_ROOT } from '../support/synth';
import { describeWithTerraform, TerraformWorkdir } from '../support/terraform';

const FIXTURE = path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'article');
const STATE = fs.readFileSync(path.join(FIXTURE, 'terraform.tfstate'), 'utf8');
const ARTICLE_ADDRESSES = JSON.parse(STATE).resources.map((r: { type: string; name: string }) => `${r.type}.${r.name}`).sort();

/** Plans `workdir` against the article's state without refreshing (no AWS call). */
function planAgainstArticleState(workdir: TerraformWorkdir) {
  workdir.write('terraform.tfstate', STATE);
  return workdir.plan('-refresh=false');
}

describeWithTerraform('adopting a stack built from the article’s HCL', () => {
  const workdirs: TerraformWorkdir[] = [];
  afterAll(() => workdirs.forEach((workdir) => workdir.dispose()));

  test('the state fixture holds the article’s seven resources, and the article’s own HCL plans no change against it', () => {
    // GIVEN the article's HCL (with its three errors fixed) and a state built from its arguments
    expect(ARTICLE_ADDRESSES).toHaveLength(7);
    const workdir = TerraformWorkdir.fromStack(FIXTURE).init();
    workdirs.push(workdir);
    // WHEN
    const plan = planAgainstArticleState(workdir);
    // THEN the fixture really is that HCL's state
    expect(plan.changes).toEqual([]);
    expect(plan.summary).toEqual({ add: 0, change: 0, import: 0, remove: 0, operation: 'plan' });
  });

  describe('step 1: an environment file that reproduces the article (fixtures/article/article.json)', () => {
    let workdir: TerraformWorkdir;
    beforeAll(() => {
      // GIVEN the article's values, public by choice, exec sessions unlogged with a written reason
      const project = tempProject({ article: fs.readFileSync(path.join(FIXTURE, 'article.json'), 'utf8') });
      workdir = TerraformWorkdir.fromStack(synthesizeExamples(project.environmentsDir).article).init();
      workdirs.push(workdir);
    });

    test('plans no change to any of the seven (same addresses, same values); the log group is the only create', () => {
      // WHEN
      const plan = planAgainstArticleState(workdir);
      // THEN
      expect(plan.changes.filter((change) => ARTICLE_ADDRESSES.includes(change.address))).toEqual([]);
      expect(plan.changes).toEqual([{ address: 'aws_cloudwatch_log_group.stg_server', type: 'aws_cloudwatch_log_group', action: 'create' }]);
      expect(plan.summary).toEqual({ add: 1, change: 0, import: 0, remove: 0, operation: 'plan' });
    });

    test('control: a changed value and a changed address do show up, so the test above can fail', () => {
      // GIVEN the same stack with another health-check path, and the cluster under another address
      const file = path.join(workdir.dir, 'cdk.tf.json');
      const original = fs.readFileSync(file, 'utf8');
      const stack = JSON.parse(original);
      stack.resource.aws_lb_target_group.stg_server_target.health_check.path = '/other';
      stack.resource.aws_ecs_cluster.renamed = stack.resource.aws_ecs_cluster.stg_ecs_cluster;
      delete stack.resource.aws_ecs_cluster.stg_ecs_cluster;
      stack.resource.aws_ecs_service.stg_server.cluster = '${aws_ecs_cluster.renamed.arn}';
      fs.writeFileSync(file, JSON.stringify(stack));
      try {
        // WHEN
        const plan = planAgainstArticleState(workdir);
        // THEN
        expect(plan.changes.map((change) => [change.address, change.action]).sort()).toEqual([
          ['aws_cloudwatch_log_group.stg_server', 'create'],
          ['aws_ecs_cluster.renamed', 'create'],
          ['aws_ecs_cluster.stg_ecs_cluster', 'delete'],
          ['aws_ecs_service.stg_server', 'replace'],
          ['aws_lb_target_group.stg_server_target', 'update'],
        ]);
      } finally {
        fs.writeFileSync(file, original);
      }
    });
  });

  describe('step 2: the stg example, with the secure defaults', () => {
    let workdir: TerraformWorkdir;
    beforeAll(() => {
      workdir = TerraformWorkdir.fromStack(synthesizeExamples().stg).init();
      workdirs.push(workdir);
    });

    test('updates three of the seven in place (allowlist, exec logging, rollback), replaces only the ECR policy (2 images kept), deletes nothing', () => {
      // WHEN
      const plan = planAgainstArticleState(workdir);
      // THEN
      expect(plan.changes.map((change) => [change.address, change.action]).sort()).toEqual([
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
      ]);
    });

  });
});
