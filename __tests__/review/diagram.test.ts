import * as fs from 'node:fs';
import * as path from 'node:path';
import { committedDiagram, diagramBlock } from '../../src/review';
import { diagramMarkdown, mermaidFlowchart, productionLiteral, referencedLiteral, referencesIn, terraformState } from '../../src/review/diagram';
import { synthesize } from '../../src/synth/synth';
import { JsonObject } from '../../src/review/hcl';
import { synthesizeFixtures } from '../support/stacks';
import { tempProject } from '../support/environments';
import { PROJECT_ROOT } from '../support/paths';

/** A stack with a data source, a JSON policy with a reference, literal production IDs and odd names. */
const STACK: JsonObject = {
  data: {
    aws_lb: { production: { name: 'prod-alb' } },
    aws_lb_listener: { production: { load_balancer_arn: '${data.aws_lb.production.arn}', port: 443 } },
  },
  resource: {
    aws_cloudwatch_log_group: { 'stg-server': { '//': { metadata: { path: 'x' } }, name: 'stg-server' } },
    aws_iam_role_policy: {
      task: {
        policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '${aws_cloudwatch_log_group.stg-server.arn}:*' }] }),
        role: 'arn:aws:iam::123456789012:role/stg-server-task',
      },
    },
    aws_lb_listener_rule: {
      stg_server_rule: {
        listener_arn: '${data.aws_lb_listener.production.arn}',
        condition: [{ host_header: { values: ['stg-api.example.com'] } }],
        depends_on: ['aws_cloudwatch_log_group.stg-server'],
        lifecycle: { ignore_changes: ['aws_iam_role_policy.task'] },
      },
    },
    aws_lb_target_group: { stg_server_target: { vpc_id: 'vpc-0123456789abcdef0', name: 'end' } },
  },
};

describe('mermaidFlowchart', () => {
  const chart = mermaidFlowchart(STACK);

  test('managed resources and production references sit in their own subgraphs', () => {
    // THEN
    const staging = /subgraph staging \["Managed by this stack"\]\n([\s\S]*?)\n {2}end/.exec(chart)?.[1] ?? '';
    const production = /subgraph production \["Production \(referenced, not managed\)"\]\n([\s\S]*?)\n {2}end/.exec(chart)?.[1] ?? '';
    expect(staging).toContain('"aws_cloudwatch_log_group.stg-server"');
    expect(staging).toContain('"aws_lb_listener_rule.stg_server_rule"');
    expect(staging).not.toContain('data.');
    expect(production).toContain('d_aws_lb_production{{"data.aws_lb.production"}}');
    expect(production).toContain('d_aws_lb_listener_production{{"data.aws_lb_listener.production"}}');
    expect(production).toContain('p_iam_role_stg_server_task(["iam: role/stg-server-task"])');
    expect(production).toContain('p_vpc_0123456789abcdef0(["vpc-0123456789abcdef0"])');
  });

  test('edges come from references anywhere, JSON strings included; depends_on is dotted; lifecycle is not a reference', () => {
    // THEN
    expect(chart).toContain('r_aws_iam_role_policy_task -->|"policy"| r_aws_cloudwatch_log_group_stg_server');
    expect(chart).toContain('r_aws_lb_listener_rule_stg_server_rule -->|"listener_arn"| d_aws_lb_listener_production');
    expect(chart).toContain('d_aws_lb_listener_production -->|"load_balancer_arn"| d_aws_lb_production');
    expect(chart).toContain('r_aws_lb_listener_rule_stg_server_rule -.->|"depends_on"| r_aws_cloudwatch_log_group_stg_server');
    expect(chart).not.toMatch(/stg_server_rule -->\|"lifecycle/);
  });

  test('node IDs are Mermaid-safe: letters, digits and underscores only, unique even when addresses differ only in `-`/`_`', () => {
    // GIVEN two addresses that sanitize alike
    const clash = mermaidFlowchart({ resource: { aws_s3_bucket: { 'a-b': { bucket: 'x' }, a_b: { bucket: 'y' } } } });
    // THEN
    const ids = [...chart.matchAll(/^ {4}(\S+?)[[({]/gm), ...clash.matchAll(/^ {4}(\S+?)[[({]/gm)].map((match) => match[1]);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    expect(clash).toContain('r_aws_s3_bucket_a_b["aws_s3_bucket.a-b"]');
    expect(clash).toContain('r_aws_s3_bucket_a_b_2["aws_s3_bucket.a_b"]');
  });

  test('a double quote in a label becomes an entity, so the label stays one string', () => {
    // WHEN
    const quoted = mermaidFlowchart({ resource: { aws_s3_bucket: { x: { policy: 'arn:aws:s3:::a"b' } } } });
    // THEN
    expect(quoted).toContain('(["s3: a#quot;b"])');
  });

  test('diagram.md wraps the flowchart in a mermaid fence', () => {
    // THEN
    expect(diagramMarkdown('stg', STACK)).toContain(`\`\`\`mermaid\n${chart}\`\`\`\n`);
  });
});

/** The node lines of one subgraph of a chart ('' when the chart has no such subgraph). */
function subgraph(chart: string, id: 'staging' | 'state' | 'production'): string {
  return new RegExp(`\\n {2}subgraph ${id} \\[[^\\n]*\\]\\n([\\s\\S]*?)\\n {2}end`).exec(chart)?.[1] ?? '';
}

describe('Terraform state and schedules are not production', () => {
  // GIVEN the examples (stg has a backend and previews, preview has working hours) and a preview of stg,
  // synthesized as `PREVIEW_PULL_REQUESTS=5 npm run review` would
  let charts: Record<string, string>;
  beforeAll(() => {
    const project = tempProject({});
    try {
      const result = synthesize({ environmentsDir: path.join(PROJECT_ROOT, 'examples'), outdir: project.outdir, previews: { numbers: [5] }, info: () => undefined, warn: () => undefined, error: () => undefined });
      charts = Object.fromEntries(
        [...result.stacks, ...result.previews].map((stack) => [stack.node.id, mermaidFlowchart(JSON.parse(fs.readFileSync(path.join(stack.outputDirectory, 'cdk.tf.json'), 'utf8')))]),
      );
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  });

  test('the examples and a preview are all drawn', () => {
    // THEN
    expect(Object.keys(charts).sort()).toEqual(['preview', 'stg', 'stg-pr-5']);
  });

  test("stg's state bucket (its backend, which the previews' build role reads and writes) is in a Terraform state group of its own", () => {
    // THEN
    const state = subgraph(charts.stg, 'state');
    expect(charts.stg).toContain('subgraph state ["Terraform state (backend, not production)"]');
    expect(state).toContain('(["s3: example-terraform-state"])');
    expect(state).toContain('(["s3: example-terraform-state/staging/stg.tfstate"])');
    expect(state).toContain('(["s3: example-terraform-state/previews/stg/*"])');
    expect(subgraph(charts.stg, 'production')).not.toContain('terraform-state');
  });

  test("a preview's lookup of staging's state is Terraform state, not a production lookup", () => {
    // THEN
    expect(subgraph(charts['stg-pr-5'], 'state')).toContain('d_terraform_remote_state_staging{{"data.terraform_remote_state.staging"}}');
    expect(subgraph(charts['stg-pr-5'], 'production')).not.toContain('terraform_remote_state');
  });

  test("schedules are staging's: the reaper's scheduler target and the working hours' Application Auto Scaling resources", () => {
    // THEN
    expect(subgraph(charts.stg, 'staging')).toContain('p_scheduler_target_AWS_API_codebuild_startBuild(["scheduler target: AWS API codebuild:startBuild"])');
    expect(subgraph(charts.preview, 'staging')).toContain('r_aws_appautoscaling_scheduled_action_stg_server_wake["aws_appautoscaling_scheduled_action.stg_server_wake"]');
    for (const chart of Object.values(charts)) expect(subgraph(chart, 'production')).not.toMatch(/scheduler|appautoscaling|application-autoscaling|tfstate/);
  });

  test.each([
    ['arn:aws:s3:::example-terraform-state/previews/stg/*', 'state', 's3: example-terraform-state/previews/stg/*'],
    ['arn:aws:s3:::other-bucket/team/stg.tfstate', 'state', 's3: other-bucket/team/stg.tfstate'],
    ['arn:aws:dynamodb:ap-northeast-1:123456789012:table/terraform-locks', 'state', 'dynamodb: table/terraform-locks'],
    ['arn:aws:s3:::prod-assets/*', 'production', 's3: prod-assets/*'],
    ['arn:aws:scheduler:::aws-sdk:codebuild:startBuild', 'staging', 'scheduler target: AWS API codebuild:startBuild'],
    ['arn:aws:scheduler:ap-northeast-1:123456789012:schedule/default/stg-*', 'staging', 'scheduler: schedule/default/stg-*'],
    ['arn:aws:application-autoscaling:eu-west-1:555566667777:scalable-target/*', 'staging', 'application-autoscaling: scalable-target/*'],
    ['arn:aws:iam::555566667777:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/*', 'staging', 'iam: role/aws-service-role/ecs.application-autoscaling.amazonaws.com/*'],
    ['arn:aws:iam::123456789012:role/ecsTaskExecutionRole', 'production', 'iam: role/ecsTaskExecutionRole'],
  ])('%s → %s', (value, group, label) => {
    // GIVEN a backend with a bucket and a lock table
    const state = terraformState({ terraform: { backend: { s3: { bucket: 'example-terraform-state', key: 'staging/stg.tfstate', dynamodb_table: 'terraform-locks' } } } });
    // WHEN / THEN
    expect(referencedLiteral(value, 'policy', state)).toEqual({ label, group });
  });

  test('without a backend, a bucket is state only by its .tfstate objects', () => {
    // THEN
    expect(referencedLiteral('arn:aws:s3:::example-terraform-state', 'policy')?.group).toBe('production');
    expect(terraformState({ data: { terraform_remote_state: { staging: { backend: 's3', config: { bucket: 'b', key: 'k' } } } } }).buckets).toEqual(new Set(['b']));
  });
});

describe('productionLiteral and referencesIn', () => {
  test.each([
    ['arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/1/2', 'listener_arn', 'elasticloadbalancing: listener/app/prod-alb/1/2'],
    ['subnet-0123456789abcdef0', 'subnets', 'subnet-0123456789abcdef0'],
    ['sg-0123456789abcdef0', 'security_groups', 'sg-0123456789abcdef0'],
    ['Z0123456789ABCDEFGHIJ', 'zone_id', 'hosted zone Z0123456789ABCDEFGHIJ'],
    ['Z0123456789ABCDEFGHIJ', 'name', undefined],
    ['prod-alb-1.ap-northeast-1.elb.amazonaws.com', 'records', 'load balancer prod-alb-1.ap-northeast-1.elb.amazonaws.com'],
    ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'policy_arn', undefined],
    ['stg-server', 'repository', undefined],
  ])('%s under %s → %s', (value, argument, label) => {
    // WHEN / THEN
    expect(productionLiteral(value, argument)).toBe(label);
  });

  test('references are found inside expressions, only for known addresses', () => {
    // GIVEN
    const known = new Set(['aws_iam_role.task', 'data.aws_lb.production']);
    // WHEN
    const found = referencesIn('${jsonencode({ a = aws_iam_role.task.arn })}/${var.x}/${data.aws_lb.production.dns_name}/$${aws_iam_role.other.arn}', known);
    // THEN
    expect(found).toEqual(['aws_iam_role.task', 'data.aws_lb.production']);
  });
});

describe('the diagram committed in docs/review.md', () => {
  test('equals what `npm run review` generates for stg today', () => {
    // GIVEN the examples, synthesized as `npm run review -- --docs` does on a fresh clone
    const dirs = synthesizeFixtures(path.join(PROJECT_ROOT, 'examples'));
    const config = JSON.parse(fs.readFileSync(path.join(dirs['stg'], 'cdk.tf.json'), 'utf8')) as JsonObject;
    for (const dir of Object.values(dirs)) fs.rmSync(path.dirname(path.dirname(dir)), { recursive: true, force: true });
    // WHEN
    const committed = diagramBlock(fs.readFileSync(path.join(PROJECT_ROOT, 'docs', 'review.md'), 'utf8'), 'stg');
    const generated = committedDiagram(config);
    // THEN
    if (committed !== generated) {
      throw new Error(`docs/review.md's stg diagram is stale or missing: run \`npm run review -- --docs\` and commit docs/review.md.\n--- docs/review.md\n${committed}\n--- generated\n${generated}`);
    }
    expect(committed).toBe(generated);
  });
});
