import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonObject } from '../../src/review/hcl';
import { tempProject } from './environments';
import { synthesizeFixtures } from './stacks';
import { PROJECT_ROOT } from './paths';
import { terraformAvailable } from './terraform';

/** Hand-written Terraform JSON in cdktf's shape, with what the stacks are growing into. */
export const SHAPES: JsonObject = {
  '//': { metadata: { backend: 's3', stackName: 'shapes', version: '0.21.0' }, outputs: {} },
  terraform: {
    backend: { s3: { bucket: 'stg-terraform-state', key: 'stg/terraform.tfstate', region: 'ap-northeast-1', encrypt: true, use_lockfile: true } },
    required_providers: { aws: { source: 'aws', version: '5.100.0' } },
  },
  provider: { aws: [{ region: 'ap-northeast-1', default_tags: [{ tags: { Environment: 'stg', 'aws:team': 'api' } }] }] },
  variable: { image_tag: { type: 'string', default: 'stg', description: 'Image tag to deploy' } },
  locals: { log_group: 'stg-server', labels: { app: 'stg-server' } },
  import: [{ id: 'stg-server', to: 'aws_cloudwatch_log_group.stg_server' }],
  moved: [{ from: 'aws_iam_role.task', to: 'aws_iam_role.stg_server_task' }],
  data: {
    aws_subnets: {
      service: {
        '//': { metadata: { path: 'shapes/Subnets', uniqueId: 'service' } },
        filter: [{ name: 'vpc-id', values: ['vpc-0123456789abcdef0'] }],
        tags: { Tier: 'public' },
      },
    },
  },
  resource: {
    aws_cloudwatch_log_group: {
      stg_server: {
        '//': { metadata: { path: 'shapes/LogGroup/Resource', uniqueId: 'stg_server' } },
        name: '${local.log_group}',
        retention_in_days: 30,
        tags: { Name: 'stg-server' },
      },
    },
    aws_iam_role: {
      stg_server_task: {
        '//': { metadata: { path: 'shapes/TaskRole/Resource', uniqueId: 'stg_server_task' } },
        assume_role_policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
        inline_policy: [
          {
            name: 'logs',
            policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                { Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: '${aws_cloudwatch_log_group.stg_server.arn}' },
                { Effect: 'Allow', Action: ['logs:CreateLogStream'], Resource: 'arn:${aws_cloudwatch_log_group.stg_server.arn}:*' },
              ],
            }),
          },
        ],
        name: 'stg-server-task',
      },
      // cdktf's Fn.jsonencode: an expression, not a JSON string
      stg_server_execution: {
        assume_role_policy: '${jsonencode({"Statement" = [{"Action" = ["sts:AssumeRole"], "Effect" = "Allow", "Principal" = {"Service" = "ecs-tasks.amazonaws.com"}}], "Version" = "2012-10-17"})}',
        name: 'stg-server-execution',
      },
    },
    aws_security_group: {
      stg_server: {
        description: 'Staging tasks',
        egress: [
          { cidr_blocks: ['0.0.0.0/0'], description: null, from_port: 0, ipv6_cidr_blocks: null, prefix_list_ids: null, protocol: '-1', security_groups: null, self: null, to_port: 0 },
        ],
        name: 'stg-server-tasks',
        vpc_id: 'vpc-0123456789abcdef0',
      },
    },
    aws_vpc_security_group_ingress_rule: {
      stg_server_from_alb: {
        from_port: 1323,
        ip_protocol: 'tcp',
        referenced_security_group_id: 'sg-0fedcba9876543210',
        security_group_id: '${aws_security_group.stg_server.id}',
        to_port: 1323,
      },
    },
    aws_codebuild_project: {
      stg_server: {
        artifacts: { type: 'NO_ARTIFACTS' },
        count: 1,
        depends_on: ['aws_iam_role.stg_server_task'],
        environment: {
          compute_type: 'BUILD_GENERAL1_SMALL',
          environment_variable: [
            { name: 'TAG', value: '${var.image_tag}' },
            { name: 'SOURCE_VERSION', value: '$${CODEBUILD_RESOLVED_SOURCE_VERSION}' },
          ],
          image: 'aws/codebuild/amazonlinux2-x86_64-standard:5.0',
          type: 'LINUX_CONTAINER',
        },
        lifecycle: { create_before_destroy: true, ignore_changes: ['tags'] },
        name: 'stg-server',
        service_role: '${aws_iam_role.stg_server_task.arn}',
        source: {
          buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - docker build -t "$${REPOSITORY_URI}:${var.image_tag}" .\n      - echo "100%%{done}"\n',
          location: 'https://github.com/example/stg-server.git',
          type: 'GITHUB',
        },
      },
    },
  },
  output: { log_group_arn: { value: '${aws_cloudwatch_log_group.stg_server.arn}', description: 'Where the tasks log' } },
};

/** Every stack `npm run synth` produces, plus the lookup fixture (data sources, an import), read once. */
export function synthesizedStacks(): Record<string, JsonObject> {
  const lookup = fs.readFileSync(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'lookup', 'lookup.json'), 'utf8');
  const project = tempProject({ lookup });
  // The lookup fixture adopts resources, and synthesizing import blocks needs Terraform (cdktf checks its version).
  const dirs = { ...synthesizeFixtures(), ...(terraformAvailable() ? synthesizeFixtures(project.environmentsDir) : {}) };
  const configs = Object.fromEntries(Object.entries(dirs).map(([name, dir]) => [name, JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'))]));
  // outdir/stacks/<name>: remove the temp outdirs and the temp project
  for (const dir of [...Object.values(dirs).map((dir) => path.dirname(path.dirname(dir))), project.root]) fs.rmSync(dir, { recursive: true, force: true });
  return configs;
}
