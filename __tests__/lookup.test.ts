import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesizeExamples } from './support/stacks';
import { tempProject } from './support/environments';
import { PROJECT_ROOT } from './support/synth';

// `terraform validate` of this stack runs with every other stack's, in one call: review/hcl.test.ts.
describe('an environment in lookup mode, with secrets read at plan time and an adopted log group', () => {
  let stack: Record<string, any>;
  beforeAll(() => {
    // GIVEN the lookup fixture as an environment of its own
    const fixture = fs.readFileSync(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'lookup', 'lookup.json'), 'utf8');
    const project = tempProject({ lookup: fixture });
    // WHEN
    stack = JSON.parse(fs.readFileSync(path.join(synthesizeExamples(project.environmentsDir).lookup, 'cdk.tf.json'), 'utf8'));
  });

  test('the header value and the OIDC client secret are data sources, and the log group is imported, not created', () => {
    // THEN
    expect(Object.keys(stack.data.aws_ssm_parameter)).toEqual(['access_header']);
    expect(Object.keys(stack.data.aws_secretsmanager_secret_version)).toEqual(['oidc_client_secret']);
    const rule = stack.resource.aws_alb_listener_rule.stg_server_rule;
    expect(rule.condition[1].http_header.values).toEqual(['${data.aws_ssm_parameter.access_header.value}']);
    expect(rule.action.map((action: { type: string }) => action.type)).toEqual(['authenticate-oidc', 'forward']);
    expect(rule.action[0].authenticate_oidc.client_secret).toBe('${data.aws_secretsmanager_secret_version.oidc_client_secret.secret_string}');
    expect(stack.import).toEqual([{ to: 'aws_cloudwatch_log_group.stg_server', id: 'stg-server' }]);
  });
});
