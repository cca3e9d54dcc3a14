import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stackHcl } from '../../src/review';
import { formatHcl } from '../../src/review/format';
import { Json, JsonObject, renderHcl, SchemaSource } from '../../src/review/hcl';
import { synthesize } from '../../src/synth/synth';
import { NO_SCHEMAS, providerSchemas } from '../../src/review/schema';
import { SHAPES } from '../support/shapes';
import { PROJECT_ROOT } from '../support/paths';
import { describeWithTerraform } from '../support/terraform';

/** `terraform providers schema -json`, cached; without Terraform, none (the fallback rules). */
const schemas = providerSchemas();

/** Renders and writes nothing: the HCL of a fixture with the provider schemas. */
function render(config: JsonObject, options: { schemas?: SchemaSource } = { schemas }): string {
  return renderHcl(config, options);
}

let shapesHcl: string | undefined;
/** The shapes' HCL, rendered once for the tests that read it. */
function renderShapes(): string {
  shapesHcl ??= render(SHAPES);
  return shapesHcl;
}

describe('renderHcl', () => {
  test('a small stack reads like hand-written HCL: bare references, blocks, aligned `=`, meta-arguments first and last', () => {
    // GIVEN
    const config: JsonObject = {
      provider: { aws: [{ region: 'ap-northeast-1' }] },
      resource: {
        aws_ecs_service: {
          stg_server: {
            '//': { metadata: { path: 'stg/Staging/Service/Resource', uniqueId: 'stg_server' } },
            cluster: '${aws_ecs_cluster.stg_ecs_cluster.arn}',
            depends_on: ['aws_alb_listener_rule.stg_server_rule'],
            desired_count: 1,
            for_each: '${toset(var.names)}',
            lifecycle: { ignore_changes: ['task_definition'] },
            load_balancer: [{ container_name: 'stg-server', container_port: 1323, target_group_arn: '${aws_lb_target_group.stg_server_target.arn}' }],
            name: 'stg-server',
            network_configuration: { assign_public_ip: true, subnets: ['subnet-0123456789abcdef0'] },
            tags: { Name: 'stg-server' },
          },
        },
      },
    };
    // WHEN
    const hcl = render(config);
    // THEN
    expect(hcl).toBe(
      [
        'provider "aws" {',
        '  region = "ap-northeast-1"',
        '}',
        '',
        'resource "aws_ecs_service" "stg_server" {',
        '  for_each = toset(var.names)',
        '',
        '  name          = "stg-server"',
        '  cluster       = aws_ecs_cluster.stg_ecs_cluster.arn',
        '  desired_count = 1',
        '  tags = {',
        '    Name = "stg-server"',
        '  }',
        '',
        '  load_balancer {',
        '    container_name   = "stg-server"',
        '    container_port   = 1323',
        '    target_group_arn = aws_lb_target_group.stg_server_target.arn',
        '  }',
        '',
        '  network_configuration {',
        '    assign_public_ip = true',
        '    subnets          = ["subnet-0123456789abcdef0"]',
        '  }',
        '',
        '  lifecycle {',
        '    ignore_changes = [task_definition]',
        '  }',
        '',
        '  depends_on = [aws_alb_listener_rule.stg_server_rule]',
        '}',
        '',
      ].join('\n'),
    );
  });

  test("cdktf's `//` metadata is dropped at every level", () => {
    // WHEN
    const hcl = renderShapes();
    // THEN
    expect(hcl).not.toMatch(/"\/\/"|metadata|uniqueId|stackName/);
  });

  test('a JSON policy becomes jsonencode() of HCL values; references inside it stay references', () => {
    // WHEN
    const hcl = renderShapes();
    // THEN a whole-string reference is bare, a reference inside text is a template
    expect(hcl).toContain(
      [
        '    policy = jsonencode({',
        '      Version = "2012-10-17"',
        '      Statement = [',
        '        {',
        '          Effect   = "Allow"',
        '          Action   = ["logs:PutLogEvents"]',
        '          Resource = aws_cloudwatch_log_group.stg_server.arn',
        '        },',
        '        {',
        '          Effect   = "Allow"',
        '          Action   = ["logs:CreateLogStream"]',
        '          Resource = "arn:${aws_cloudwatch_log_group.stg_server.arn}:*"',
        '        },',
        '      ]',
        '    })',
      ].join('\n'),
    );
    expect(hcl).not.toContain('\\"');
  });

  test('a policy whose references are not in alphabetical order is still jsonencode(): bare where whole, templates where inside text', () => {
    // GIVEN the build role's policy as the stack writes it: the service before the log group
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Deploy', Effect: 'Allow', Action: ['ecs:UpdateService'], Resource: ['${aws_ecs_service.stg_server.id}'] },
        { Sid: 'Logs', Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: ['${aws_cloudwatch_log_group.stg_server_build.arn}:*'] },
      ],
    });
    // WHEN
    const hcl = render({ resource: { aws_iam_role_policy: { build: { policy, role: '${aws_iam_role.build.id}' } } } });
    // THEN
    expect(hcl).toContain('  policy = jsonencode({\n');
    expect(hcl).toContain('Resource = [aws_ecs_service.stg_server.id]');
    expect(hcl).toContain('Resource = ["${aws_cloudwatch_log_group.stg_server_build.arn}:*"]');
    expect(hcl).not.toContain('\\"');
  });

  test('an interpolation that would span two JSON strings, or change once a string is decoded, keeps the string quoted', () => {
    // GIVEN Terraform reads `${upper(", ")}` as one expression over two JSON strings; `\u0024{x}` is no template, but `${x}` once decoded
    const config: JsonObject = { locals: { spanning: '["${upper(", ")}"]', decoded: '["\\u0024{var.x}", "${var.x}"]' } };
    // WHEN
    const hcl = render(config);
    // THEN
    expect(hcl).not.toContain('jsonencode');
  });

  test('strings that only look like JSON stay strings', () => {
    // GIVEN an unquoted interpolation (not JSON), an escaped `${` (JSON, but no template), JSON scalars
    const config: JsonObject = {
      locals: { unquoted: '{"count": ${var.n}}', escaped: '{"a": "\\u0024{var.x}"}', number: '42', text: '"x"' },
    };
    // WHEN
    const hcl = render(config);
    // THEN
    expect(hcl).toContain('unquoted = "{\\"count\\": ${var.n}}"');
    expect(hcl).toContain('escaped  = "{\\"a\\": \\"\\\\u0024{var.x}\\"}"');
    expect(hcl).toContain('number   = "42"');
    expect(hcl).toContain('text     = "\\"x\\""');
    expect(hcl).not.toContain('jsonencode');
  });

  test('template escapes carry over: `$${` and `%%{` stay literal; quotes, backslashes and control characters are escaped', () => {
    // GIVEN
    const config: JsonObject = { locals: { a: 'echo "$${HOME}" 100%%{x} C:\\dir\t${var.x}\u0001' } };
    // WHEN
    const hcl = render(config);
    // THEN
    expect(hcl).toContain('a = "echo \\"$${HOME}\\" 100%%{x} C:\\\\dir\\t${var.x}\\u0001"');
  });

  test('a multi-line attribute becomes a <<-EOT heredoc after the one-line ones; other multi-line strings stay quoted', () => {
    // WHEN
    const hcl = renderShapes();
    const small = render({ locals: { no_final_newline: 'a\nb', all_indented: '  a\n  b\n' } });
    // THEN the buildspec keeps its template escapes and its reference; fmt aligns `=` across a heredoc
    expect(hcl).toContain(
      [
        '  source {',
        '    location  = "https://github.com/example/stg-server.git"',
        '    type      = "GITHUB"',
        '    buildspec = <<-EOT',
        '      version: 0.2',
        '      phases:',
        '        build:',
        '          commands:',
        '            - docker build -t "$${REPOSITORY_URI}:${var.image_tag}" .',
        '            - echo "100%%{done}"',
        '    EOT',
        '  }',
      ].join('\n'),
    );
    // AND a string without a final newline, or indented on every line, would not survive a heredoc
    expect(small).toContain('no_final_newline = "a\\nb"');
    expect(small).toContain('all_indented     = "  a\\n  b\\n"');
  });

  test('import, moved, variable, locals, output and an S3 backend render as blocks of their own', () => {
    // WHEN
    const hcl = renderShapes();
    // THEN
    expect(hcl).toContain(
      [
        'terraform {',
        '  backend "s3" {',
        '    bucket       = "stg-terraform-state"',
        '    encrypt      = true',
        '    key          = "stg/terraform.tfstate"',
        '    region       = "ap-northeast-1"',
        '    use_lockfile = true',
        '  }',
        '',
        '  required_providers {',
        '    aws = {',
      ].join('\n'),
    );
    expect(hcl).toContain('import {\n  id = "stg-server"\n  to = aws_cloudwatch_log_group.stg_server\n}');
    expect(hcl).toContain('moved {\n  from = aws_iam_role.task\n  to   = aws_iam_role.stg_server_task\n}');
    expect(hcl).toContain('variable "image_tag" {\n  type        = string\n  description = "Image tag to deploy"\n  default     = "stg"\n}');
    expect(hcl).toContain('locals {\n  log_group = "stg-server"\n  labels = {\n    app = "stg-server"\n  }\n}');
    expect(hcl).toContain('output "log_group_arn" {\n  description = "Where the tasks log"\n  value       = aws_cloudwatch_log_group.stg_server.arn\n}');
  });

  test('without a schema, known map names are maps and other objects blocks', () => {
    // WHEN
    const hcl = render({ resource: { example_thing: { a: { triggers: { k: 'v' }, settings: { depth: 1 } } } } }, { schemas: NO_SCHEMAS });
    // THEN
    expect(hcl).toContain('  triggers = {\n    k = "v"\n  }');
    expect(hcl).toContain('  settings {\n    depth = 1\n  }');
  });

  test("cdktf's Fn expressions arrive at the formatter as written, and come out spaced as terraform fmt spaces them", () => {
    // GIVEN expression → what fmt makes of it
    const cases: [string, string][] = [
      ['jsonencode({"a" = b, "c" = [1,2]})', 'jsonencode({ "a" = b, "c" = [1, 2] })'],
      ['join(",",var.v)', 'join(",", var.v)'],
      ['var.a == -1 ? [-1] : [1 - 2]', 'var.a == -1 ? [-1] : [1 - 2]'],
      ['!var.a', '!var.a'],
      ['aws_x.y[*].id', 'aws_x.y[*].id'],
      ['{for k in var.l : k => k}', '{ for k in var.l : k => k }'],
      ['f(a...)', 'f(a...)'],
    ];
    // WHEN
    const hcl = render({ locals: Object.fromEntries(cases.map(([written], index) => [`e${index}`, `\${${written}}`])) });
    // THEN
    expect(hcl).toBe(`locals {\n${cases.map(([, formatted], index) => `  e${index} = ${formatted}\n`).join('')}}\n`);
    expect(render({ locals: { a: '${ a.b }-x' } })).toContain('a = "${a.b}-x"');
  });

  test('dynamic blocks and provisioners keep their labels; their maps stay maps', () => {
    // GIVEN cdktf's shapes for a dynamic block and a provisioner
    const config: JsonObject = {
      resource: {
        aws_security_group: {
          stg_server: {
            dynamic: { ingress: { for_each: '${var.rules}', iterator: 'rule', content: { from_port: '${rule.value.port}', protocol: 'tcp' } } },
            name: 'stg-server',
            provisioner: [{ 'local-exec': { command: 'echo done', environment: { STAGE: 'stg' }, when: 'destroy' } }],
          },
        },
      },
    };
    // WHEN
    const hcl = render(config);
    // THEN
    expect(hcl).toContain(
      [
        '  dynamic "ingress" {',
        '    for_each = var.rules',
        '    iterator = rule',
        '',
        '    content {',
        '      from_port = rule.value.port',
        '      protocol  = "tcp"',
        '    }',
        '  }',
        '',
        '  provisioner "local-exec" {',
        '    command = "echo done"',
        '    when    = destroy',
        '    environment = {',
        '      STAGE = "stg"',
        '    }',
        '  }',
      ].join('\n'),
    );
  });

  test('an unknown top-level key is an error, not silently dropped', () => {
    // WHEN / THEN
    expect(() => render({ check: { health: {} } })).toThrow('cannot render top-level "check" as HCL');
  });
});

describeWithTerraform('the provider schema (terraform providers schema -json)', () => {
  test('it tells blocks from maps, where the fallback rules would guess wrong', () => {
    // GIVEN a map attribute with a name the fallback rules do not know
    const config: JsonObject = { resource: { aws_cloudwatch_metric_alarm: { cpu: { alarm_name: 'cpu', dimensions: { ClusterName: 'stg' } } } } };
    // WHEN
    const withSchema = render(config);
    const withoutSchema = render(config, { schemas: NO_SCHEMAS });
    // THEN
    expect(withSchema).toContain('  dimensions = {\n    ClusterName = "stg"\n  }');
    expect(withoutSchema).toContain('  dimensions {\n');
  });

  test("codebuild's `environment` holds `environment_variable` blocks; the provider's default_tags is a block holding a map; a set of objects is a block, nulls included", () => {
    // WHEN
    const hcl = renderShapes();
    // THEN
    expect(hcl).toMatch(/\n {2}environment \{\n {4}compute_type/);
    expect(hcl).toMatch(/\n {4}environment_variable \{\n {6}name {2}= "TAG"\n {6}value = var.image_tag\n {4}\}/);
    expect(hcl).toContain('  default_tags {\n    tags = {\n      Environment = "stg"\n      "aws:team"  = "api"\n    }\n  }');
    expect(hcl).toMatch(/\n {2}egress \{\n {4}cidr_blocks {6}= \["0\.0\.0\.0\/0"\]\n {4}description {6}= null/);
  });
});

describeWithTerraform('formatting', () => {
  // Rendered, unformatted: one space around `=`, no alignment.
  const unformatted = 'resource "aws_ecs_cluster" "a" {\n  name = "a"\n  tags = { Name = "a" }\n  setting {\n    name = "containerInsights"\n    value = "enabled"\n  }\n}\n';

  test('terraform fmt aligns `=` and keeps everything else', () => {
    // WHEN
    const formatted = formatHcl(unformatted, { formatter: 'terraform fmt' });
    // THEN
    expect(formatted).toBe(unformatted.replace('    name = "containerInsights"', '    name  = "containerInsights"'));
  });

  test('@cdktf/hcl-tools, the fallback without Terraform, formats the rendered stacks exactly as terraform fmt does', () => {
    // GIVEN the shapes (every construct the renderer writes), with the alignment taken out
    const input = renderShapes().replace(/ +=/g, ' =');
    // WHEN
    const formatted = formatHcl(input, { formatter: '@cdktf/hcl-tools' });
    // THEN
    expect(formatted).not.toBe(input);
    expect(formatted).toBe(formatHcl(input, { formatter: 'terraform fmt' }));
  });

  test('HCL the formatter cannot parse is an error naming the formatter', () => {
    // WHEN / THEN
    expect(() => formatHcl('locals {\n  a = \n}\n', { formatter: 'terraform fmt' })).toThrow('terraform fmt failed');
  });
});

describe('every example stack', () => {
  // GIVEN the examples, a preview of stg, and the lookup fixture, synthesized
  const configs: Record<string, JsonObject> = {};
  beforeAll(() => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-hcl-examples-'));
    try {
      const sources: [string, SynthParameters][] = [
        [path.join(PROJECT_ROOT, 'examples'), { previews: { numbers: [5] } }],
        [path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'lookup'), {}],
      ];
      for (const [index, [environmentsDir, options]] of sources.entries()) {
        const errors: string[] = [];
        const result = synthesize({ environmentsDir, outdir: path.join(root, String(index)), ...options, info: () => undefined, warn: () => undefined, error: (line) => errors.push(line) });
        if (result.exitCode !== 0) throw new Error(errors.join('\n'));
        for (const stack of [...result.stacks, ...result.previews]) configs[stack.node.id] = JSON.parse(fs.readFileSync(path.join(stack.outputDirectory, 'cdk.tf.json'), 'utf8'));
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('are all here', () => {
    // THEN
    expect(Object.keys(configs).sort()).toEqual(['lookup', 'preview', 'stg', 'stg-pr-5']);
  });

  test.each(['stg', 'preview', 'stg-pr-5', 'lookup'])('%s: no IAM policy (nor any other JSON document) is a quoted JSON string; each is jsonencode()', (stack) => {
    // GIVEN the JSON documents of the stack's arguments, IAM policies among them
    const documents = jsonDocuments(configs[stack]);
    const policies = documents.filter((document) => /"Statement"\s*:/.test(document));
    // WHEN
    const hcl = stackHcl(stack, configs[stack], schemas);
    // THEN
    expect(documents.length).toBeGreaterThan(0);
    if (stack === 'stg' || stack === 'preview') expect(policies.length).toBeGreaterThan(0);
    expect(hcl.split('\n').filter((line) => /^\s*[\w"-]+\s*=\s*"\s*[[{]/.test(line))).toEqual([]);
    expect(hcl.split('\n').filter((line) => /^\s*(policy|assume_role_policy|inline_policy|policy_document|container_definitions)\s*=/.test(line) && !/=\s*jsonencode\(/.test(line))).toEqual([]);
    expect(hcl.match(/jsonencode\(/g)?.length ?? 0).toBeGreaterThanOrEqual(documents.length);
  });
});

type SynthParameters = Pick<Parameters<typeof synthesize>[0] & object, 'previews'>;

/** Every string argument under resources and data sources that holds a JSON object or array. */
function jsonDocuments(config: JsonObject): string[] {
  const found: string[] = [];
  const walk = (value: Json | undefined) => {
    if (typeof value === 'string') {
      if (/^\s*[[{]/.test(value)) {
        try {
          JSON.parse(value);
          found.push(value);
        } catch {
          // not JSON
        }
      }
    } else if (Array.isArray(value)) {
      value.forEach(walk);
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) if (key !== '//') walk(item);
    }
  };
  walk(config.resource);
  walk(config.data);
  return found;
}
