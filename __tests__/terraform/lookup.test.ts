import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesizeExamples } from '../support/stacks';
import { tempProject } from '../support/environments';
import { PROJECT_ROOT } from '../support/synth';
import { describeWithTerraform, TerraformWorkdir } from '../support/terraform';

describeWithTerraform('an environment in lookup mode, with secrets read at plan time and an adopted log group, with the real Terraform', () => {
  let workdir: TerraformWorkdir;
  beforeAll(() => {
    // GIVEN the lookup fixture as an environment of its own
    const fixture = fs.readFileSync(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'lookup', 'lookup.json'), 'utf8');
    const project = tempProject({ lookup: fixture });
    workdir = TerraformWorkdir.fromStack(synthesizeExamples(project.environmentsDir).lookup).init();
  });
  afterAll(() => workdir?.dispose());

  test('terraform validate passes (data sources need no AWS call to validate)', () => {
    // WHEN
    const result = workdir.validate();
    // THEN
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test('the header value and the OIDC client secret are data sources, and the log group is imported, not created', () => {
    // GIVEN the synthesized stack terraform just validated
    const stack = JSON.parse(fs.readFileSync(path.join(workdir.dir, 'cdk.tf.json'), 'utf8'));
    // THEN
    expect(Object.keys(stack.data.aws_ssm_parameter)).toEqual(['access_header']);
    expect(Object.keys(stack.data.aws_secretsmanager_secret_version)).toEqual(['oidc_client_secret']);
    const rule = stack.resource.aws_alb_listener_rule.stg_server_rule;
    expect(rule.condition[1].http_header.values).toEqual(['${data.aws_ssm_parameter.access_header.value}']);
    expect(rule.action.map((action: { type: string }) => action.type)).toEqual(['authenticate-oidc', 'forward']);
    expect(stack.import).toEqual([{ to: 'aws_cloudwatch_log_group.stg_server', id: 'stg-server' }]);
  });
});
