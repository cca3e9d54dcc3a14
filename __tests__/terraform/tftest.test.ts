import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lookupOverrides, MOCK_MASTER_USER, runTerraformTests, suiteForStacks, TFTEST_DIR, TftestResult, tftestVariables } from '../../src/terraform/tftest';
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

describe('the production database lookups under mock_provider (lookupOverrides)', () => {
  const clusterStack = (engine: string, identifier = 'Prod-Aurora') => ({
    provider: { aws: [{ region: 'eu-west-1' }] },
    data: { aws_rds_cluster: { production: { cluster_identifier: identifier, lifecycle: { postcondition: [{ condition: `\${self.engine == "${engine}"}` }] } } } },
  });

  test('a cluster answers as the one the stack names: its identifier, the postcondition’s engine and that engine’s port, IAM auth, a writer and a reader', () => {
    // WHEN
    const overrides = lookupOverrides(clusterStack('aurora-mysql'));
    // THEN
    expect(overrides['data.aws_rds_cluster.production']).toMatchObject({
      cluster_identifier: 'prod-aurora',
      engine: 'aurora-mysql',
      port: 3306,
      iam_database_authentication_enabled: true,
      cluster_members: ['prod-aurora-1', 'prod-aurora-2'],
      arn: 'arn:aws:rds:eu-west-1:123456789012:cluster:prod-aurora',
    });
    expect(lookupOverrides(clusterStack('aurora-postgresql'))['data.aws_rds_cluster.production']).toMatchObject({ port: 5432 });
  });

  test('the master user is one no service.database.user can be (upper case), so the postcondition that staging is not the master holds', () => {
    expect(MOCK_MASTER_USER).not.toEqual(MOCK_MASTER_USER.toLowerCase());
    expect(lookupOverrides(clusterStack('aurora-postgresql'))['data.aws_rds_cluster.production']).toMatchObject({ master_username: MOCK_MASTER_USER });
  });

  test('an instance answers with its resource ID and address; a stack without a database lookup gets no override', () => {
    const instance = { data: { aws_db_instance: { production: { db_instance_identifier: 'prod-pg', lifecycle: { postcondition: [{ condition: '${self.engine == "postgres"}' }] } } } } };
    expect(lookupOverrides(instance)['data.aws_db_instance.production']).toMatchObject({ engine: 'postgres', port: 5432, resource_id: expect.stringMatching(/^db-/), address: expect.stringContaining('prod-pg.') });
    expect(lookupOverrides({ data: { aws_vpc: { production: {} } } })).toEqual({});
  });

  test('a target’s overrideData is written into each of its runs as override_data blocks, its template sequences escaped', () => {
    // WHEN
    const suite = suiteForStacks(SUITE, { db: { dir: 'x', overrideData: { 'data.aws_rds_cluster.production': { cluster_members: ['w'], note: '${not.interpolated}' } } }, plain: { dir: 'y' } });
    // THEN
    const db = suite.slice(suite.indexOf('run "db_plan"'), suite.indexOf('run "plain_plan"'));
    expect(db.match(/override_data \{\n    target = data\.aws_rds_cluster\.production\n/g)).toHaveLength(2);
    expect(db).toContain('"note":"$${not.interpolated}"');
    expect(suite.slice(suite.indexOf('run "plain_plan"'))).not.toContain('override_data');
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
    // AND stg reading production's Aurora cluster through its reader endpoint
    const reader = tempProject({
      reader: setPath(fixtureJson('stg'), 'service.database', { engine: 'aurora-postgresql', clusterIdentifier: 'prod-aurora', databaseName: 'app', user: 'staging_ro', iamAuth: true, access: 'reader' }),
    });
    const readerStack = synthesizeFixtures(reader.environmentsDir).reader;
    // WHEN one terraform test runs the suite for all of them
    result = runTerraformTests({
      reader: { dir: readerStack, variables: tftestVariables(fixtureConfig('stg')) },
      stg: { dir: stacks.stg, variables: tftestVariables(fixtureConfig('stg')) },
      preview: { dir: stacks.preview, variables: tftestVariables(fixtureConfig('preview')) },
      broken: { dir: broken, runs: ['plan'] },
      open: { dir: openStack, variables: tftestVariables(openConfig.environment.config), runs: ['plan'] },
      // control: the same stack without the consent variable
      openUnconsented: { dir: openStack, runs: ['plan'] },
      brokenHours: { dir: brokenHours, variables: tftestVariables(fixtureConfig('preview')), runs: ['plan'] },
      // control, last: a failed postcondition is an error, and terraform test skips the runs after it; the same cluster answering with its writer only
      readerWithoutReader: { dir: readerStack, variables: tftestVariables(fixtureConfig('stg')), runs: ['plan'], overrideData: { 'data.aws_rds_cluster.production': { cluster_members: ['prod-aurora-1'] } } },
    });
  });
  afterAll(() => [broken, brokenHours].forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  test.each(['stg', 'preview'])('the %s stack passes every invariant, at plan and after an apply', (name) => {
    expect(result.runs[name]).toEqual({ plan: true, apply: true });
  });

  test('a stack reading production’s Aurora cluster passes every invariant, its lookup answered as that cluster would (lookupOverrides)', () => {
    expect(result.runs.reader).toEqual({ plan: true, apply: true });
  });

  test('control: the same stack against a cluster with no reader fails its plan on the reader postcondition', () => {
    expect(result.runs.readerWithoutReader).toEqual({ plan: false });
    expect(result.output).toMatch(/run "readerWithoutReader_plan"\.\.\. fail/);
    expect(result.output).toMatch(/cluster prod-aurora has no reader\s+instance/);
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
