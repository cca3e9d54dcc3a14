import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironmentFile } from '../../src/environment/load';
import { runTerraformTests, TFTEST_DIR, tftestVariables, withVariables } from '../../src/terraform/tftest';
import { synthesizeExamples } from '../support/stacks';
import { exampleConfig, PROJECT_ROOT } from '../support/synth';
import { describeWithTerraform } from '../support/terraform';

const stacks = synthesizeExamples();

describe('the terraform test variables', () => {
  test('an article-shaped environment passes none (the file’s defaults are the article’s); another passes what differs', () => {
    expect(tftestVariables(exampleConfig('stg'))).toEqual({});
    expect(tftestVariables(exampleConfig('preview'))).toEqual({ tag_prefix: 'preview' });
  });

  test('they are written into the suite’s variables block (which -var cannot override)', () => {
    // GIVEN
    const suite = fs.readFileSync(path.join(TFTEST_DIR, 'staging.tftest.hcl'), 'utf8');
    // WHEN
    const written = withVariables(suite, { tag_prefix: 'preview', container_port: '8080' });
    // THEN
    expect(written).toMatch(/^ {2}tag_prefix {8}= "preview"$/m);
    expect(written).toMatch(/^ {2}container_port {4}= 8080$/m);
    expect(written).toMatch(/^ {2}health_check_path = "\/healthcheck"$/m);
    expect(() => withVariables(suite, { nope: 'x' })).toThrow(/no variable nope/);
  });
});

describeWithTerraform('terraform test (tftest/*.tftest.hcl), offline against a mocked AWS provider', () => {
  test.each(Object.keys(stacks))('the %s stack passes every invariant, at plan and after an apply', (name) => {
    // GIVEN the synthesized stack and its environment's variables
    const loaded = loadEnvironmentFile(path.join(PROJECT_ROOT, 'environments', `${name}.json`));
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    // WHEN
    const result = runTerraformTests(stacks[name], tftestVariables(loaded.environment.config));
    // THEN
    expect(result.output).toMatch(/run "plan"\.\.\. pass/);
    expect(result.output).toMatch(/run "apply"\.\.\. pass/);
    expect(result.output).toMatch(/Success! 2 passed, 0 failed\./);
    expect(result.passed).toBe(true);
  });

  test('control: an open listener rule, a production resource and a dropped ignore_changes fail their assertions', () => {
    // GIVEN the stg stack broken three ways, and only the plan run (the apply adds nothing here)
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-broken-'));
    const stack = JSON.parse(fs.readFileSync(path.join(stacks.stg, 'cdk.tf.json'), 'utf8'));
    stack.resource.aws_alb_listener_rule.stg_server_rule.condition = [{ host_header: { values: ['stg-api.example.com'] } }];
    stack.resource.aws_vpc = { production: { cidr_block: '10.0.0.0/16' } };
    delete stack.resource.aws_ecs_service.stg_server.lifecycle;
    fs.writeFileSync(path.join(broken, 'cdk.tf.json'), JSON.stringify(stack));
    const tests = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-tftest-'));
    const suite = fs.readFileSync(path.join(TFTEST_DIR, 'staging.tftest.hcl'), 'utf8');
    fs.writeFileSync(path.join(tests, 'staging.tftest.hcl'), suite.slice(0, suite.indexOf('run "apply"')));
    try {
      // WHEN
      const result = runTerraformTests(broken, {}, tests);
      // THEN
      expect(result.passed).toBe(false);
      expect(result.output).toMatch(/The staging listener rule must admit only some callers/);
      expect(result.output).toMatch(/The stack must not manage load balancers, listeners, hosted zones, VPCs/);
      expect(result.output).toMatch(/The service must ignore task_definition|Unsupported attribute/);
    } finally {
      fs.rmSync(broken, { recursive: true, force: true });
      fs.rmSync(tests, { recursive: true, force: true });
    }
  });
});
