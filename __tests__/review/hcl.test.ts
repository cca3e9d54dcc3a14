import { parse } from '@cdktf/hcl2json';
import { providerAwsSchemas, stackHcl } from '../../src/review';
import { BlockSchema, formatExpression, isBlockArgument, Json, JsonObject, normalizeTemplate, renderHcl, SchemaSource } from '../../src/review/hcl';
import { SHAPES, synthesizedStacks } from '../support/shapes';
import { terraformAvailable } from '../support/terraform';

const schemas = providerAwsSchemas();

/** Renders and writes nothing: the HCL of a fixture with the provider-aws schemas. */
function render(config: JsonObject, options: { schemas?: SchemaSource } = { schemas }): string {
  return renderHcl(config, options);
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
    const hcl = render(SHAPES);
    // THEN
    expect(hcl).not.toMatch(/"\/\/"|metadata|uniqueId|stackName/);
  });

  test('a JSON policy becomes jsonencode() of HCL values; references inside it stay references', () => {
    // WHEN
    const hcl = render(SHAPES);
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
    const hcl = render(SHAPES);
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
    const hcl = render(SHAPES);
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

  test('the provider schema tells blocks from maps; without one, known map names are maps and other objects blocks', () => {
    // WHEN
    const hcl = render(SHAPES);
    const unknownProvider = render({ resource: { example_thing: { a: { triggers: { k: 'v' }, settings: { depth: 1 } } } } }, {});
    // THEN codebuild's `environment` is a block of `environment_variable` blocks; default_tags a block holding a map
    expect(hcl).toMatch(/\n {2}environment \{\n {4}compute_type/);
    expect(hcl).toMatch(/\n {4}environment_variable \{\n {6}name {2}= "TAG"\n {6}value = var.image_tag\n {4}\}/);
    expect(hcl).toContain('  default_tags {\n    tags = {\n      Environment = "stg"\n      "aws:team"  = "api"\n    }\n  }');
    // AND the security group's `egress` (a set of objects in the schema) is a block, nulls included
    expect(hcl).toMatch(/\n {2}egress \{\n {4}cidr_blocks {6}= \["0\.0\.0\.0\/0"\]\n {4}description {6}= null/);
    expect(unknownProvider).toContain('  triggers = {\n    k = "v"\n  }');
    expect(unknownProvider).toContain('  settings {\n    depth = 1\n  }');
  });

  test("cdktf's Fn expressions are spaced as terraform fmt spaces them", () => {
    // GIVEN expression → what fmt makes of it
    const cases: [string, string][] = [
      ['jsonencode({"a" = b, "c" = [1,2]})', 'jsonencode({ "a" = b, "c" = [1, 2] })'],
      ['join(",",var.v)', 'join(",", var.v)'],
      ['var.a == -1 ? [-1] : [1 - 2]', 'var.a == -1 ? [-1] : [1 - 2]'],
      ['!var.a', '!var.a'],
      ['aws_x.y[*].id', 'aws_x.y[*].id'],
      ['{for k in var.l : k => k}', '{ for k in var.l : k => k }'],
      ['f(a...)', 'f(a...)'],
      ['"${ a.b }-x"', '"${a.b}-x"'],
    ];
    // WHEN / THEN
    for (const [written, formatted] of cases) expect([written, formatExpression(written)]).toEqual([written, formatted]);
  });

  test('dynamic blocks and provisioners keep their labels; their maps stay maps', async () => {
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
    // AND it is HCL that parses
    expect((await parse('main.tf', hcl)).resource.aws_security_group.stg_server[0].dynamic.ingress[0].iterator).toBe('${rule}');
  });

  test('an unknown top-level key is an error, not silently dropped', () => {
    // WHEN / THEN
    expect(() => render({ check: { health: {} } })).toThrow('cannot render top-level "check" as HCL');
  });
});

// ---------------------------------------------------------------------------------------------
// Round trip: parse the HCL back with @cdktf/hcl2json and compare with the JSON it came from.
//
// hcl2json gives the JSON form of HCL: every block as an array, strings as template source (so `$${`
// stays `$${`, and a bare reference `x.y` comes back as "${x.y}"), expressions as "${...}". The expected
// side is the original with `//` dropped and blocks wrapped in arrays using the renderer's own
// `isBlockArgument` (the same schema); whether that block/attribute call is right is what `terraform
// validate` checks below. Addresses and every other argument are compared exactly. A `jsonencode(...)`
// that came from a JSON string is compared as data: its HCL argument is parsed by hcl2json on its own
// and must equal JSON.parse of the original string. Whitespace inside `${...}` is compared after
// `normalizeTemplate` on both sides, since fmt re-spaces expressions and the spacing means nothing.

type Pending = { path: string; hcl: string; json: string };

function wrap(value: Json): Json[] {
  return Array.isArray(value) ? value : [value];
}

/** Drops `//`, re-spaces interpolations. */
function clean(value: Json): Json {
  if (typeof value === 'string') return normalizeTemplate(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '//').map(([key, item]) => [normalizeTemplate(key), clean(item)]));
  return value;
}

/** A resource, data source or provider body as hcl2json will give it back. */
function expectedBody(body: JsonObject, schema: BlockSchema | undefined): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '//') continue;
    if (key === 'lifecycle') result[key] = wrap(value).map(clean);
    else if (key === 'depends_on') result[key] = value;
    else if (isBlockArgument(key, value, schema)) {
      const items = wrap(value) as JsonObject[];
      if (items.length > 0) result[key] = items.map((item) => expectedBody(item, schema?.argument(key)?.body));
    } else result[key] = clean(value);
  }
  return result;
}

function expectedDocument(config: JsonObject): JsonObject {
  const result: JsonObject = {};
  const byName = (value: Json, each: (name: string, body: JsonObject) => Json) =>
    Object.fromEntries(Object.entries(value as JsonObject).map(([name, body]) => [name, wrap(body).map((item) => each(name, item as JsonObject))]));
  for (const [key, value] of Object.entries(config)) {
    if (key === '//') continue;
    if (key === 'terraform') {
      const { backend, required_providers: providers, ...rest } = value as JsonObject;
      result.terraform = [
        {
          ...clean(rest) as JsonObject,
          ...(backend ? { backend: byName(backend, (_, body) => clean(body)) } : {}),
          ...(providers ? { required_providers: [clean(providers)] } : {}),
        },
      ];
    } else if (key === 'provider') result.provider = byName(value, (name, body) => expectedBody(body, schemas.provider(name)));
    else if (key === 'resource' || key === 'data') {
      result[key] = Object.fromEntries(
        Object.entries(value as JsonObject).map(([type, bodies]) => [type, byName(bodies, (_, body) => expectedBody(body, key === 'data' ? schemas.data(type) : schemas.resource(type)))]),
      );
    } else if (key === 'variable' || key === 'output') result[key] = byName(value, (_, body) => clean(body));
    else if (key === 'locals') result.locals = [clean(value)];
    else result[key] = clean(value);
  }
  return result;
}

/** Strings hcl2json gives as "${x}" where the JSON has the bare address or keyword "x". */
function unwrapBare(document: any): any {
  const strip = (value: string) => /^\$\{(.*)\}$/s.exec(value)?.[1] ?? value;
  const each = (items: any[] | undefined, keys: string[]) => {
    for (const item of items ?? []) for (const key of keys) if (item[key] !== undefined) item[key] = Array.isArray(item[key]) ? item[key].map(strip) : strip(item[key]);
  };
  each(document.import, ['to', 'provider']);
  each(document.moved, ['from', 'to']);
  for (const bodies of Object.values(document.variable ?? {})) each(bodies as any[], ['type']);
  for (const section of [document.resource, document.data]) {
    for (const byName of Object.values(section ?? {})) {
      for (const bodies of Object.values(byName as object)) {
        each(bodies as any[], ['depends_on', 'provider']);
        for (const body of bodies as any[]) each(body.lifecycle, ['ignore_changes', 'replace_triggered_by']);
      }
    }
  }
  return document;
}

/** Walks both documents; a jsonencode(...) that stands for a JSON string is set aside for comparison as data. */
function setAsideJsonencode(actual: any, expected: any, path: string, pending: Pending[]): any {
  if (typeof actual === 'string' && typeof expected === 'string' && actual.startsWith('${jsonencode(') && !expected.startsWith('${jsonencode(')) {
    pending.push({ path, hcl: actual.slice('${jsonencode('.length, -')}'.length), json: expected });
    return expected;
  }
  if (Array.isArray(actual) && Array.isArray(expected)) return actual.map((item, index) => setAsideJsonencode(item, expected[index], `${path}[${index}]`, pending));
  if (actual && typeof actual === 'object' && expected && typeof expected === 'object') {
    return Object.fromEntries(Object.entries(actual).map(([key, item]) => [key, setAsideJsonencode(item, expected[key], `${path}.${key}`, pending)]));
  }
  return actual;
}

/** The differences between the HCL and the JSON it was rendered from, as messages (empty when the same). */
async function roundTripDifferences(hcl: string, config: JsonObject): Promise<string[]> {
  const expected = expectedDocument(config);
  const pending: Pending[] = [];
  const actual = setAsideJsonencode(unwrapBare(await parse('main.tf', hcl)), expected, '', pending);
  const differences: string[] = [];
  if (JSON.stringify(sortKeys(actual)) !== JSON.stringify(sortKeys(expected))) {
    differences.push(`parsed back:\n${JSON.stringify(sortKeys(actual), null, 1)}\nexpected:\n${JSON.stringify(sortKeys(expected), null, 1)}`);
  }
  for (const { path, hcl: argument, json } of pending) {
    const parsed = (await parse('value.tf', `locals {\n  value = ${argument}\n}\n`)).locals[0].value;
    const same = JSON.stringify(sortKeys(clean(parsed))) === JSON.stringify(sortKeys(clean(JSON.parse(json))));
    if (!same) differences.push(`${path}: jsonencode(${argument}) is not ${json}`);
  }
  return differences;
}

function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
  return value;
}

const stacks = synthesizedStacks();

describe('round trip through @cdktf/hcl2json', () => {
  test('the fixtures include every fixture stack, and the lookup stack wherever Terraform can synthesize it', () => {
    // THEN (stg and preview today; more fixtures join automatically)
    expect(Object.keys(stacks)).toEqual(expect.arrayContaining(['stg', 'preview']));
    if (!terraformAvailable()) return; // its import blocks need Terraform at synth; CI=true always has it
    expect(Object.keys(stacks)).toContain('lookup');
    expect(Object.keys(stacks['lookup'].data ?? {}).length).toBeGreaterThan(0);
  });

  test.each(Object.keys(stacks))('stack %s: same addresses, same arguments', async (name) => {
    // WHEN
    const differences = await roundTripDifferences(stackHcl(name, stacks[name], schemas), stacks[name]);
    // THEN
    expect(differences).toEqual([]);
  });

  test('the hand-written shapes: same addresses, same arguments', async () => {
    // WHEN
    const differences = await roundTripDifferences(render(SHAPES), SHAPES);
    // THEN
    expect(differences).toEqual([]);
  });

  test('control: a changed value, a lost block and a changed policy are all reported', async () => {
    // GIVEN the stg HCL, altered three ways
    const original = stackHcl('stg', stacks['stg'], schemas);
    const hcl = original
      .replace(/(desired_count\s+= )\d+/, (_, prefix) => `${prefix}99`)
      .replace(/\n {2}weighted_routing_policy \{\n[^}]*\}\n/, '\n')
      .replace(/(countNumber\s+= )\d+/, (_, prefix) => `${prefix}999`);
    expect([hcl.match(/desired_count\s+= 99\n/), hcl.match(/countNumber\s+= 999\n/), hcl.includes('weighted_routing_policy')]).toEqual([expect.anything(), expect.anything(), false]);
    // WHEN
    const differences = await roundTripDifferences(hcl, stacks['stg']);
    // THEN
    expect(differences.join('\n')).toMatch(/"desired_count": 99/);
    expect(differences.join('\n')).toMatch(/"weighted_routing_policy"/);
    expect(differences.join('\n')).toMatch(/aws_ecr_lifecycle_policy.*jsonencode/);
  });
});
