import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesizeFixtures } from './support/stacks';
import { tempProject } from './support/environments';
import { PROJECT_ROOT } from './support/paths';
import { describeWithTerraform } from './support/terraform';

// `terraform validate` of this stack runs with every other stack's, in one call: review/hcl.test.ts.
// Synthesizing import and moved blocks needs Terraform: cdktf checks its version while writing them.
describeWithTerraform('an environment in lookup mode, with secrets read at plan time and adopted resources', () => {
  let stack: Record<string, any>;
  beforeAll(() => {
    // GIVEN the lookup fixture as an environment of its own
    const fixture = fs.readFileSync(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'lookup', 'lookup.json'), 'utf8');
    const project = tempProject({ lookup: fixture });
    // WHEN
    stack = JSON.parse(fs.readFileSync(path.join(synthesizeFixtures(project.environmentsDir).lookup, 'cdk.tf.json'), 'utf8'));
  });

  test('the header value and the OIDC client secret are data sources; adopted resources are imported or moved, not created', () => {
    // THEN
    expect(Object.keys(stack.data.aws_ssm_parameter)).toEqual(['access_header']);
    expect(Object.keys(stack.data.aws_secretsmanager_secret_version)).toEqual(['oidc_client_secret']);
    const rule = stack.resource.aws_alb_listener_rule.stg_server_rule;
    expect(rule.condition[1].http_header.values).toEqual(['${data.aws_ssm_parameter.access_header.value}']);
    expect(rule.action.map((action: { type: string }) => action.type)).toEqual(['authenticate-oidc', 'forward']);
    expect(rule.action[0].authenticate_oidc.client_secret).toBe('${data.aws_secretsmanager_secret_version.oidc_client_secret.secret_string}');
    // a login needs HTTPS: with the listener looked up, Terraform checks its protocol at plan
    expect(rule.lifecycle.precondition).toEqual([{ condition: '${(data.aws_lb_listener.production.protocol == "HTTPS")}', error_message: expect.stringMatching(/needs an HTTPS listener/) }]);
    expect(stack.import).toEqual(
      expect.arrayContaining([
        { to: 'aws_cloudwatch_log_group.stg_server', id: 'stg-server' },
        { to: 'aws_ecs_cluster.stg_ecs_cluster', id: 'stg_ecs_cluster' },
        { to: 'aws_ecs_service.stg_server', id: 'stg_ecs_cluster/stg-server' },
        { to: 'aws_ecr_lifecycle_policy.stg-server-lifecycle_policy', id: 'stg-server' },
        { to: 'aws_ecs_task_definition.stg_server', id: 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/stg-server:7' },
      ]),
    );
    expect(stack.import).toHaveLength(7);
    expect(stack.moved).toEqual([{ from: 'aws_route53_record.stg', to: 'aws_route53_record.stg_server' }]);
  });
});
