import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseJson, ResourceView } from '../src/guardrails/guardrail';
import { ScopedListener } from '../src/guardrails/rules/scoped-listener';
import { coversManyListeners } from '../src/policy/listener-scope';
import { synthesize } from '../src/synth/synth';
import { tempProject } from './support/environments';
import { LEGACY_DATABASE_WARNING } from './support/guardrails';
import { PROJECT_ROOT } from './support/paths';
import { describeWithTerraform, TERRAFORM } from './support/terraform';

// The previews' build role on the production listener (issue 25, item 5): the one listener in both
// modes, by ARN or looked up, and only the rules and target groups tagged as this environment's previews.

const LISTENER = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef';
const LOOKED_UP = '${data.aws_lb_listener.production.arn}';
const LOOKED_UP_RULES = '${replace(data.aws_lb_listener.production.arn, ":listener/", ":listener-rule/")}/*';
const TAG_KEYS = ['staging:preview', 'staging:pull-request'];
const TARGET_GROUPS = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/pr-*/*';

type Statement = { Sid: string; Action: string[]; Resource: string[] | string; Condition?: Record<string, Record<string, unknown>> };

const readJson = (file: string): Record<string, any> => JSON.parse(fs.readFileSync(file, 'utf8'));

/** The lookup fixture (listenerRule.loadBalancer, as `npm run new` writes it) with a pipeline, a backend and previews; no adoption. */
function lookupWithPreviews(): Record<string, any> {
  const config = readJson(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'lookup', 'lookup.json'));
  delete config.$schema;
  delete config.adopt;
  config.taskDefinition.container.image = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server:stg';
  config.pipeline = { repository: 'https://github.com/example/stg-server.git', branch: 'develop', connectionArn: 'arn:aws:codeconnections:ap-northeast-1:123456789012:connection/0123abcd-0123-4567-89ab-0123456789ab' };
  config.backend = { bucket: 'example-terraform-state' };
  config.previews = { priorityBase: 1000, trustedActors: ['583231'], infrastructure: { repository: 'https://github.com/example/staging-infra.git', commit: '0123456789abcdef0123456789abcdef01234567' } };
  return config;
}

const examples = (): Record<string, unknown> => ({ stg: readJson(path.join(PROJECT_ROOT, 'examples', 'stg.json')), preview: readJson(path.join(PROJECT_ROOT, 'examples', 'preview.json')) });

/** Synth of `files` (with previews `numbers`): its exit code, every error and warning line, and the stacks written. */
function synth(files: Record<string, unknown>, numbers: number[] = []) {
  const project = tempProject(files);
  const problems: string[] = [];
  try {
    const result = synthesize({ environmentsDir: project.environmentsDir, outdir: project.outdir, previews: { numbers }, info: () => {}, error: (l) => problems.push(l), warn: (l) => problems.push(l) });
    const stacksDir = path.join(project.outdir, 'stacks');
    const stacks = fs.existsSync(stacksDir) ? Object.fromEntries(fs.readdirSync(stacksDir).map((stack) => [stack, readJson(path.join(stacksDir, stack, 'cdk.tf.json'))])) : {};
    return { exitCode: result.exitCode, problems, stacks };
  } finally {
    fs.rmSync(project.root, { recursive: true, force: true });
  }
}

/** The previews build role's policy text, and its statements as the guardrails read them. */
function buildPolicy(stack: Record<string, any>): { text: string; statements: Statement[] } {
  const text: string = stack.resource.aws_iam_role_policy.previews_build.policy;
  return { text, statements: parseJson(text).Statement };
}

const sid = (statements: Statement[], name: string): Statement => statements.find((statement) => statement.Sid === name)!;
const resources = (statement: Statement): string[] => [statement.Resource].flat();
/** Statements granting an ELB action that changes something (Describe* is the only read). */
const elbWrites = (statements: Statement[]): Statement[] => statements.filter((s) => s.Action.some((a) => a.startsWith('elasticloadbalancing:') && !a.startsWith('elasticloadbalancing:Describe')));

describe('the previews build role, listener looked up (listenerRule.loadBalancer)', () => {
  let result: ReturnType<typeof synth>;
  let policy: ReturnType<typeof buildPolicy>;
  beforeAll(() => {
    // GIVEN the lookup fixture with previews / WHEN it is synthesized
    result = synth({ lookup: lookupWithPreviews() });
    policy = buildPolicy(result.stacks.lookup);
  });

  test('synth accepts it: no guardrail error', () => {
    // THEN
    expect(result.exitCode).toBe(0);
    expect(result.problems.filter((line) => line.startsWith('error'))).toEqual([]);
  });

  test('CreateRule names the looked-up listener, ModifyRule and DeleteRule its rules by replace() at plan: no wildcard listener or rule ARN', () => {
    // THEN
    expect(sid(policy.statements, 'PreviewRulesCreate')).toMatchObject({ Action: ['elasticloadbalancing:CreateRule'], Resource: [LOOKED_UP] });
    expect(sid(policy.statements, 'PreviewRules')).toMatchObject({ Action: ['elasticloadbalancing:DeleteRule', 'elasticloadbalancing:ModifyRule'], Resource: [LOOKED_UP_RULES] });
    const elb = elbWrites(policy.statements).flatMap(resources);
    expect(elb.filter(coversManyListeners)).toEqual([]);
    expect(policy.text).not.toMatch(/listener(-rule)?\/app\/\*/);
  });

  test('its rule changes carry the tag conditions: created only with the tag, changed and deleted only when tagged, tagged only at creation', () => {
    // THEN
    expect(sid(policy.statements, 'PreviewRulesCreate').Condition).toEqual({ StringEquals: { 'aws:RequestTag/staging:preview': 'lookup' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': TAG_KEYS } });
    expect(sid(policy.statements, 'PreviewRules').Condition).toEqual({ StringEquals: { 'aws:ResourceTag/staging:preview': 'lookup' } });
    expect(sid(policy.statements, 'PreviewTagOnCreate')).toEqual({
      Sid: 'PreviewTagOnCreate',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags'],
      Resource: [LOOKED_UP_RULES, TARGET_GROUPS],
      Condition: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateRule', 'CreateTargetGroup'], 'aws:RequestTag/staging:preview': 'lookup' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': TAG_KEYS } },
    });
    // AND no ELB change is granted without a tag condition
    expect(elbWrites(policy.statements).filter((statement) => statement.Condition === undefined).map((statement) => statement.Sid)).toEqual([]);
  });

  test('STG-ScopedListener reads the policy, JSON only once Terraform has evaluated it: nothing here, a wildcard put in its place found', () => {
    // GIVEN the role policy as the guardrail sees it, and the same with the old wildcard instead of the derived rules
    const view = (text: string): ResourceView => ({ type: 'aws_iam_role_policy', address: 'aws_iam_role_policy.previews_build', attributes: { policy: text }, marks: [] });
    const widened = policy.text.split(LOOKED_UP_RULES).join('arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule/app/*');
    // WHEN
    const stack = { resources: [], referenced: () => undefined };
    // THEN
    expect(() => JSON.parse(policy.text)).toThrow();
    expect(ScopedListener.check(view(policy.text), stack)).toEqual([]);
    expect(ScopedListener.check(view(widened), stack)).toEqual([
      { detail: 'elasticloadbalancing:DeleteRule, elasticloadbalancing:ModifyRule on arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule/app/*', value: 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule/app/*' },
      { detail: 'elasticloadbalancing:AddTags on arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule/app/*', value: 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule/app/*' },
    ]);
  });
});

describe('the previews build role, listener given by ARN (examples/stg.json)', () => {
  let result: ReturnType<typeof synth>;
  let policy: ReturnType<typeof buildPolicy>;
  beforeAll(() => {
    // GIVEN both examples, stg with previews and a listenerArn / WHEN they are synthesized
    result = synth(examples());
    policy = buildPolicy(result.stacks.stg);
  });

  test('both examples pass every guardrail: no error; one warning, preview.json’s legacy service.database', () => {
    // THEN
    expect(result.exitCode).toBe(0);
    expect(result.problems).toEqual([expect.stringMatching(LEGACY_DATABASE_WARNING)]);
  });

  test('CreateRule names the listener, ModifyRule and DeleteRule the rules of that listener only: no wildcard listener or rule ARN', () => {
    // THEN
    expect(sid(policy.statements, 'PreviewRulesCreate')).toMatchObject({ Action: ['elasticloadbalancing:CreateRule'], Resource: [LISTENER] });
    expect(sid(policy.statements, 'PreviewRules')).toMatchObject({ Resource: ['arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule/app/prod-alb/0123456789abcdef/0123456789abcdef/*'] });
    expect(elbWrites(policy.statements).flatMap(resources).filter(coversManyListeners)).toEqual([]);
    expect(() => JSON.parse(policy.text)).not.toThrow();
  });

  test('its rule changes carry the tag conditions: created only with the tag, changed and deleted only when tagged, tagged only at creation', () => {
    // THEN
    expect(sid(policy.statements, 'PreviewRulesCreate').Condition).toEqual({ StringEquals: { 'aws:RequestTag/staging:preview': 'stg' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': TAG_KEYS } });
    expect(sid(policy.statements, 'PreviewRules').Condition).toEqual({ StringEquals: { 'aws:ResourceTag/staging:preview': 'stg' } });
    expect(sid(policy.statements, 'PreviewTagOnCreate')).toMatchObject({
      Action: ['elasticloadbalancing:AddTags'],
      Resource: ['arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule/app/prod-alb/0123456789abcdef/0123456789abcdef/*', TARGET_GROUPS],
      Condition: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateRule', 'CreateTargetGroup'], 'aws:RequestTag/staging:preview': 'stg' } },
    });
  });

  test('target groups: created only with the tag, changed and deleted only when tagged', () => {
    // THEN
    expect(sid(policy.statements, 'PreviewTargetGroupsCreate')).toMatchObject({
      Action: ['elasticloadbalancing:CreateTargetGroup'],
      Resource: [TARGET_GROUPS],
      Condition: { StringEquals: { 'aws:RequestTag/staging:preview': 'stg' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': TAG_KEYS } },
    });
    expect(sid(policy.statements, 'PreviewTargetGroups')).toMatchObject({
      Action: ['elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:ModifyTargetGroupAttributes'],
      Condition: { StringEquals: { 'aws:ResourceTag/staging:preview': 'stg' } },
    });
  });
});

describe('the previews build role, listener given as a Terraform reference', () => {
  test('the rules are the referenced listener’s, derived by replace() at plan', () => {
    // GIVEN stg with its listener ARN in a variable
    const stg = readJson(path.join(PROJECT_ROOT, 'examples', 'stg.json'));
    stg.listenerRule.listenerArn = '${var.production_listener}';
    // WHEN
    const result = synth({ stg });
    // THEN
    expect(result.exitCode).toBe(0);
    const { statements } = buildPolicy(result.stacks.stg);
    expect(resources(sid(statements, 'PreviewRulesCreate'))).toEqual(['${var.production_listener}']);
    expect(resources(sid(statements, 'PreviewRules'))).toEqual(['${replace(var.production_listener, ":listener/", ":listener-rule/")}/*']);
  });
});

describe('the preview stacks tag what the conditions look for', () => {
  test('a preview’s listener rule and target group get staging:preview = stg from the provider’s default tags, and only the keys the role allows', () => {
    // GIVEN / WHEN stg and its preview of PR 12
    const result = synth(examples(), [12]);
    const preview = result.stacks['stg-pr-12'];
    // THEN
    const tags = preview.provider.aws[0].default_tags[0].tags;
    expect(tags).toEqual({ 'staging:preview': 'stg', 'staging:pull-request': '12' });
    const allowedKeys = sid(buildPolicy(result.stacks.stg).statements, 'PreviewRulesCreate').Condition!['ForAllValues:StringEquals']['aws:TagKeys'];
    expect(Object.keys(tags)).toEqual(allowedKeys);
    // AND neither the rule nor the target group sets tags of its own over them
    expect(Object.keys(preview.resource.aws_alb_listener_rule)).toEqual(['stg_server_rule']);
    expect(preview.resource.aws_alb_listener_rule.stg_server_rule.tags).toBeUndefined();
    expect(Object.values(preview.resource.aws_lb_target_group).map((group: any) => group.tags)).toEqual([undefined]);
  });
});

describeWithTerraform('the looked-up policy, evaluated by Terraform', () => {
  test('once the listener is known, the policy is JSON, and the rules are that listener’s listener-rule ARNs', () => {
    // GIVEN the synthesized policy text, with the two addresses it refers to made locals of known values
    const { text } = buildPolicy(synth({ lookup: lookupWithPreviews() }).stacks.lookup);
    const listener = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/fedcba9876543210';
    const policy = text.split('data.aws_lb_listener.production.arn').join('local.listener').split('aws_cloudwatch_log_group.previews_build.arn').join('local.logs');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-preview-policy-'));
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ locals: { listener, logs: 'arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/codebuild/x', policy } }));
    try {
      // WHEN Terraform evaluates it
      const console = spawnSync(TERRAFORM, ['console'], { cwd: dir, input: 'jsonencode(jsondecode(local.policy))\n', encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' } });
      // THEN
      expect(console.status).toBe(0);
      const statements: Statement[] = JSON.parse(JSON.parse(console.stdout.trim())).Statement;
      expect(resources(sid(statements, 'PreviewRulesCreate'))).toEqual([listener]);
      expect(resources(sid(statements, 'PreviewRules'))).toEqual(['arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule/app/prod-alb/0123456789abcdef/fedcba9876543210/*']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
