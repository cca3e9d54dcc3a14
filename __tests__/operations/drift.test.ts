import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkDrift, DriftRuntime, terraformErrorLine, TerraformRun } from '../../src/operations/drift';
import { configuredAttributes, differences, driftOf, formatDrift, ignoredAttributes, PlanJson } from '../../src/operations/drift-format';

/** A refresh-only plan as `terraform show -json` gives it: the log group's retention changed by hand, the service's task definition by a deploy, a rule deleted. */
const PLAN: PlanJson = {
  resource_drift: [
    { address: 'aws_cloudwatch_log_group.stg_server', change: { actions: ['update'], before: { name: 'stg-server', retention_in_days: 30, tags: {} }, after: { name: 'stg-server', retention_in_days: 7, tags: { Owner: 'me' } } } },
    { address: 'aws_ecs_service.stg_server', change: { actions: ['update'], before: { task_definition: 'arn:…:stg-server:1', desired_count: 1 }, after: { task_definition: 'arn:…:stg-server:2', desired_count: 0 } } },
    { address: 'aws_alb_listener_rule.stg_server_rule', change: { actions: ['delete'], before: { priority: 100 }, after: null } },
  ],
  output_changes: { url: { actions: ['no-op'] }, previews_listener_arn: { actions: ['update'] } },
};
const STACK = { resource: { aws_ecs_service: { stg_server: { lifecycle: { ignore_changes: ['task_definition', 'desired_count'] } } }, aws_cloudwatch_log_group: { stg_server: {} } } };

describe('what a refresh-only plan found, in words', () => {
  test('each drifted attribute with before → after; the attributes the stack hands to others are the design, not drift', () => {
    const drift = driftOf(PLAN, ignoredAttributes(STACK));
    expect(formatDrift('stg', drift)).toEqual([
      'stg: 2 resource(s) changed outside Terraform (the next apply puts them back as the stack says, unless the stack is changed to match):',
      '  aws_cloudwatch_log_group.stg_server: 2 attribute(s)',
      '    retention_in_days: 30 → 7',
      '    tags.Owner: (none) → "me"',
      '  aws_alb_listener_rule.stg_server_rule: deleted outside Terraform (the next apply creates it again)',
      '  outputs changed with them: previews_listener_arn',
      'changed as designed (lifecycle.ignore_changes: deploys, working hours), not drift:',
      '  aws_ecs_service.stg_server: desired_count 1 → 0; task_definition "arn:…:stg-server:1" → "arn:…:stg-server:2"',
    ]);
  });

  test('only ignored changes: no drift, with the note', () => {
    const drift = driftOf({ resource_drift: [PLAN.resource_drift![1]] }, ignoredAttributes(STACK));
    expect(drift.resources).toEqual([]);
    expect(formatDrift('stg', drift)[0]).toBe('stg: no drift: every resource in the state is as Terraform left it');
  });

  test('what the stack does not set, empty in the state and read back with a value, is filled in by its neighbours, not drift; a recorded value changed is drift even there', () => {
    // GIVEN a role whose inline_policy its aws_iam_role_policy filled in, tags null read back {}, and a description (not set by the stack) changed from a recorded value
    const plan: PlanJson = {
      resource_drift: [
        { address: 'aws_iam_role.build', change: { actions: ['update'], before: { name: 'b', inline_policy: [], tags: null, description: 'x' }, after: { name: 'b', inline_policy: [{ name: 'p', policy: '{}' }], tags: {}, description: 'y' } } },
      ],
    };
    const stack = { resource: { aws_iam_role: { build: { '//': {}, name: 'b', assume_role_policy: '{}', depends_on: [] } } } };
    expect(configuredAttributes(stack)).toEqual({ 'aws_iam_role.build': new Set(['name', 'assume_role_policy']) });
    const drift = driftOf(plan, {}, configuredAttributes(stack));
    expect(drift.resources).toEqual([{ address: 'aws_iam_role.build', action: 'update', attributes: [{ path: 'description', before: '"x"', after: '"y"' }] }]);
    expect(drift.filledIn).toEqual([{ address: 'aws_iam_role.build', action: 'update', attributes: [{ path: 'inline_policy[0]', before: '(none)', after: '{"name":"p","policy":"{}"}' }] }]);
    expect(formatDrift('stg', { ...drift, resources: [] })).toEqual([
      'stg: no drift: every resource in the state is as Terraform left it',
      'read back with values the stack does not set, filled in since the last apply (the next apply records them), not drift:',
      '  aws_iam_role.build: inline_policy',
    ]);
  });

  test('differences: nested paths, lists by index, sensitive values hidden, null, absent, {} and [] the same, long values cut', () => {
    expect(differences({ a: { b: [1, 2] }, c: null, e: [], s: 'x', long: 'y' }, { a: { b: [1, 3, 4] }, c: {}, s: 'z', long: 'y'.repeat(100) }, { s: true }, { s: true })).toEqual([
      { path: 'a.b[1]', before: '2', after: '3' },
      { path: 'a.b[2]', before: '(none)', after: '4' },
      { path: 'long', before: '"y"', after: `"${'y'.repeat(58)}…` },
      { path: 's', before: '(sensitive)', after: '(sensitive)' },
    ]);
  });

  test('ignoredAttributes: each address with its lifecycle.ignore_changes, "all" kept as it is', () => {
    expect(ignoredAttributes({ resource: { a_b: { x: { lifecycle: { ignore_changes: 'all' } }, y: {} }, c_d: { z: { lifecycle: { ignore_changes: ['tags'] } } } } })).toEqual({ 'a_b.x': 'all', 'c_d.z': ['tags'] });
  });

  test('terraformErrorLine: the first Error: line and its detail, box drawing removed', () => {
    const run: TerraformRun = { status: 1, stdout: '', stderr: '╷\n│ Error: No valid credential sources found\n│ \n│ Please see https://registry.terraform.io/providers/hashicorp/aws\n╵\n' };
    expect(terraformErrorLine(run)).toBe('Error: No valid credential sources found Please see https://registry.terraform.io/providers/hashicorp/aws');
    expect(terraformErrorLine({ status: 1, stdout: '', stderr: 'killed\n' })).toBe('killed');
  });
});

describe('checkDrift: the terraform runs and the exit code', () => {
  function stackDir(initialised: boolean): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-drift-test-'));
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(STACK));
    if (initialised) fs.mkdirSync(path.join(dir, '.terraform'));
    return dir;
  }
  function terraform(planStatus: number, extra: Partial<Record<string, TerraformRun>> = {}): { runtime: DriftRuntime; runs: string[][] } {
    const runs: string[][] = [];
    return {
      runs,
      runtime: {
        terraform: (args) => {
          runs.push([...args]);
          const answer = extra[args[0]];
          if (answer) return answer;
          if (args[0] === 'plan') return { status: planStatus, stdout: '', stderr: '' };
          if (args[0] === 'show') return { status: 0, stdout: JSON.stringify(PLAN), stderr: '' };
          return { status: 0, stdout: '', stderr: '' };
        },
      },
    };
  }

  test('no drift: exit 0, one refresh-only plan that takes no lock', () => {
    const { runtime, runs } = terraform(0);
    const lines: string[] = [];
    expect(checkDrift('stg', stackDir(true), (line) => lines.push(line), runtime)).toBe(0);
    expect(runs.map((args) => args.slice(0, 6))).toEqual([['plan', '-refresh-only', '-detailed-exitcode', '-input=false', '-no-color', '-lock=false']]);
    expect(lines).toEqual(['stg: no drift: every resource in the state is as Terraform left it']);
  });

  test('drift: exit 2, from the saved plan shown as JSON', () => {
    const { runtime, runs } = terraform(2);
    const lines: string[] = [];
    expect(checkDrift('stg', stackDir(true), (line) => lines.push(line), runtime)).toBe(2);
    expect(runs.map((args) => args[0])).toEqual(['plan', 'show']);
    expect(lines[0]).toMatch(/^stg: 2 resource\(s\) changed outside Terraform/);
  });

  test('a first run in the directory initialises it first', () => {
    const { runtime, runs } = terraform(0);
    const lines: string[] = [];
    const dir = stackDir(false);
    checkDrift('stg', dir, (line) => lines.push(line), runtime);
    expect(runs.map((args) => args[0])).toEqual(['init', 'plan']);
    expect(lines[0]).toBe(`terraform init in ${dir} (its first run there)`);
  });

  test.each([
    ['the plan fails', { plan: { status: 1, stdout: '', stderr: '│ Error: No valid credential sources found\n│ Please see the docs\n' } }, 'terraform plan -refresh-only failed in DIR: Error: No valid credential sources found Please see the docs'],
    ['init fails', { init: { status: 1, stdout: '', stderr: 'Error: Failed to get existing workspaces: S3 bucket does not exist.\n' } }, 'terraform init failed in DIR: Error: Failed to get existing workspaces: S3 bucket does not exist.'],
  ])('an error is one line, exit 1: %s', (_, extra, message) => {
    const { runtime } = terraform(0, extra as Record<string, TerraformRun>);
    const dir = stackDir(!('init' in extra));
    expect(() => checkDrift('stg', dir, () => undefined, runtime)).toThrow(new Error(message.replace('DIR', dir)));
  });

  test('a stack never synthesized says to synthesize it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-drift-test-'));
    expect(() => checkDrift('stg', dir, () => undefined, terraform(0).runtime)).toThrow(`${dir} holds no synthesized stack: run npm run synth -- stg first`);
  });
});
