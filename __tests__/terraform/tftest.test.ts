import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTerraformTests, suiteForStacks, TFTEST_DIR, TftestResult, tftestVariables } from '../../src/terraform/tftest';
import { fixtureJson, setPath, tempProject } from '../support/environments';
import { synthesizeFixtures } from '../support/stacks';
import { loadEnvironmentFile } from '../../src/environment/load';
import { fixtureConfig } from '../support/synth';
import { describeWithTerraform } from '../support/terraform';

const SUITE = fs.readFileSync(path.join(TFTEST_DIR, 'staging.tftest.hcl'), 'utf8');

describe('running the suite for several stacks at once', () => {
  test('an article-shaped environment passes no variable (the suite’s defaults are the article’s); another passes what differs', () => {
    expect(tftestVariables(fixtureConfig('stg'))).toEqual({});
    expect(tftestVariables(fixtureConfig('preview'))).toEqual({ tag_prefix: 'preview' });
  });

  test('a file that consents to a public endpoint passes public_by_consent, and only that file', () => {
    // GIVEN stg opened to everyone, as synth accepts it (with its warning)
    const project = tempProject({ open: setPath(fixtureJson('stg'), 'listenerRule.access', { public: true }) });
    const loaded = loadEnvironmentFile(`${project.environmentsDir}/open.json`);
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    // THEN
    expect(tftestVariables(loaded.environment.config)).toEqual({ public_by_consent: 'true' });
    expect(tftestVariables(fixtureConfig('stg'))).not.toHaveProperty('public_by_consent');
  });

  test('each run is repeated per stack, against the stack as a module, with its variables', () => {
    // WHEN
    const suite = suiteForStacks(SUITE, { stg: { dir: 'x' }, preview: { dir: 'y', variables: { tag_prefix: 'preview' } }, broken: { dir: 'z', runs: ['plan'] } });
    // THEN
    expect([...suite.matchAll(/^run "([^"]+)"/gm)].map((m) => m[1])).toEqual(['stg_plan', 'stg_apply', 'preview_plan', 'preview_apply', 'broken_plan']);
    expect(suite).toContain('run "preview_plan" {\n  module {\n    source = "./preview"\n  }\n\n  variables {\n    tag_prefix = "preview"\n    stack_file = "preview/cdk.tf.json"\n  }');
    expect(suite).toContain('mock_provider "aws" {');
    expect(suite.match(/assert \{/g)!.length).toBe(3 * (SUITE.match(/assert \{/g)!.length) - SUITE.slice(SUITE.indexOf('run "apply"')).match(/assert \{/g)!.length);
  });
});

describeWithTerraform('terraform test (tftest/*.tftest.hcl), offline against a mocked AWS provider', () => {
  let result: TftestResult;
  const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-broken-'));
  const brokenHours = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-broken-hours-'));
  beforeAll(() => {
    // GIVEN both example stacks, and a control: stg broken three ways (plan run only)
    const stacks = synthesizeFixtures();
    // AND stg opened to everyone by consent (listenerRule.access.public), synthesized as synth does it
    const open = tempProject({ open: setPath(fixtureJson('stg'), 'listenerRule.access', { public: true }) });
    const openStack = synthesizeFixtures(open.environmentsDir).open;
    const openConfig = loadEnvironmentFile(`${open.environmentsDir}/open.json`);
    if (!openConfig.ok) throw new Error(openConfig.errors.join('\n'));
    const stack = JSON.parse(fs.readFileSync(path.join(stacks.stg, 'cdk.tf.json'), 'utf8'));
    stack.resource.aws_alb_listener_rule.stg_server_rule.condition = [{ host_header: { values: ['stg-api.example.com'] } }, { source_ip: { values: ['0.0.0.0/1', '128.0.0.0/1'] } }];
    stack.resource.aws_vpc = { production: { cidr_block: '10.0.0.0/16' } };
    delete stack.resource.aws_ecs_service.stg_server.lifecycle;
    fs.writeFileSync(path.join(broken, 'cdk.tf.json'), JSON.stringify(stack));
    // AND a second control: the preview stack's working hours and Spot broken four ways
    const hours = JSON.parse(fs.readFileSync(path.join(stacks.preview, 'cdk.tf.json'), 'utf8'));
    delete hours.resource.aws_appautoscaling_scheduled_action.stg_server_sleep.depends_on;
    delete hours.resource.aws_appautoscaling_target.stg_server.lifecycle;
    hours.resource.aws_ecs_service.stg_server.lifecycle.ignore_changes = ['task_definition'];
    hours.resource.aws_ecs_cluster_capacity_providers.stg_ecs_cluster.capacity_providers = ['FARGATE'];
    fs.writeFileSync(path.join(brokenHours, 'cdk.tf.json'), JSON.stringify(hours));
    // WHEN one terraform test runs the suite for all three
    result = runTerraformTests({
      stg: { dir: stacks.stg, variables: tftestVariables(fixtureConfig('stg')) },
      preview: { dir: stacks.preview, variables: tftestVariables(fixtureConfig('preview')) },
      broken: { dir: broken, runs: ['plan'] },
      open: { dir: openStack, variables: tftestVariables(openConfig.environment.config), runs: ['plan'] },
      // control: the same stack without the consent variable
      openUnconsented: { dir: openStack, runs: ['plan'] },
      brokenHours: { dir: brokenHours, variables: tftestVariables(fixtureConfig('preview')), runs: ['plan'] },
    });
  });
  afterAll(() => [broken, brokenHours].forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  test.each(['stg', 'preview'])('the %s stack passes every invariant, at plan and after an apply', (name) => {
    expect(result.runs[name]).toEqual({ plan: true, apply: true });
  });

  test('a public endpoint the file consents to passes the plan invariants; without the consent variable the same stack fails the access ones', () => {
    expect(result.runs.open).toEqual({ plan: true });
    expect(result.runs.openUnconsented).toEqual({ plan: false });
    expect(result.output).toMatch(/run "openUnconsented_plan"[\s\S]*Every staging listener rule must carry a source_ip or http_header/);
  });

  test('control: an allowlist of the whole internet, a production resource and a dropped ignore_changes fail their assertions', () => {
    expect(result.runs.broken).toEqual({ plan: false });
    expect(result.passed).toBe(false);
    expect(result.output).toMatch(/The staging listener rule must admit only some callers/);
    expect(result.output).toMatch(/The stack must not manage load balancers, listeners, hosted zones, VPCs/);
    expect(result.output).toMatch(/The service must ignore task_definition/);
  });

  test('control: actions created at once, capacities and desired_count left to Terraform, and a Spot strategy the cluster does not offer fail theirs', () => {
    expect(result.runs.brokenHours).toEqual({ plan: false });
    // (terraform wraps the messages)
    expect(result.output).toMatch(/Scheduled actions must be created one after the\s+other/);
    expect(result.output).toMatch(/must be the staging service's, and ignore min_capacity and\s+max_capacity/);
    expect(result.output).toMatch(/A scheduled service must ignore desired_count/);
    expect(result.output).toMatch(/the\s+staging cluster must offer each provider it names/);
  });
});
