import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesize } from '../../src/synth/synth';
import { fixtureJson, setPath, snapshot, tempProject } from '../support/environments';

import { BAD_INPUT_CASES as CASES } from '../support/bad-input-cases';

describe('bad input is rejected at synth, with file, path, rule and value, and cdktf.out is untouched', () => {
  // GIVEN a project whose previous synth left output behind
  const project = tempProject({ stg: fixtureJson('stg') });
  const file = path.join(project.environmentsDir, 'stg.json');
  beforeAll(() => {
    expect(synthesize({ ...project, info: () => undefined }).exitCode).toBe(0);
  });
  const before = () => snapshot(project.outdir);

  test('there is at least one case per rule: 40 or more', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  test.each(CASES)('$rule', ({ set, path: field, message, got, hidden }) => {
    // GIVEN the example with one change
    const config = fixtureJson('stg');
    for (const [dotted, value] of Object.entries(set)) setPath(config, dotted, value);
    fs.writeFileSync(file, JSON.stringify(config, null, 2));
    const output = before();
    const errors: string[] = [];

    // WHEN
    const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line) });

    // THEN synth fails, the error names file, path, rule and value, and nothing was written
    expect(result.exitCode).toBe(1);
    const line = errors.find((error) => error.startsWith(`error: ${file}: ${field}: `));
    expect(line ?? errors).toEqual(expect.stringMatching(message));
    if (got !== undefined) expect(line).toContain(`(got ${JSON.stringify(got)})`);
    if (hidden !== undefined) {
      expect(line).toContain(`(got a plain value, ${hidden.length} characters, not shown)`);
      expect(errors.join('\n')).not.toContain(hidden);
    }
    expect(snapshot(project.outdir)).toEqual(output);
    expect(Object.keys(output).length).toBeGreaterThan(0);
  });
});

describe('rules across files', () => {
  const stg = fixtureJson('stg');
  const preview = fixtureJson('preview');
  const cases: { rule: string; set: Record<string, unknown>; path: string; message: RegExp }[] = [
    { rule: 'same priority on the same listener', set: { 'listenerRule.priority': stg.listenerRule.priority }, path: 'listenerRule.priority', message: /unique on the listener .*; .*preview\.json uses it too/ },
    // preview.json's five CIDRs need two rules, at 99 and 100: the second takes stg.json's priority
    { rule: 'a priority taken by another file’s second allowlist rule', set: { 'listenerRule.priority': stg.listenerRule.priority - 1 }, path: 'listenerRule.priority', message: /unique on the listener \(with the priorities its allowlist takes\); .*preview\.json uses it too/ },
    { rule: 'same host header on the same listener', set: { 'listenerRule.hostHeader': 'STG-API.example.com', 'dnsRecord.name': 'stg-api.example.com', 'dnsRecord.setIdentifier': 'other' }, path: 'listenerRule.hostHeader', message: /unique on the listener/ },
    { rule: 'same target group name', set: { 'targetGroup.name': stg.targetGroup.name }, path: 'targetGroup.name', message: /unique in the account and region \(ELBv2 ignores case\); .*preview\.json uses it too/ },
    { rule: 'same cluster name', set: { 'cluster.name': stg.cluster.name }, path: 'cluster.name', message: /unique in the account and region; .*preview\.json uses it too/ },
    { rule: 'same target group name but for case (ELBv2 ignores case)', set: { 'targetGroup.name': stg.targetGroup.name.toUpperCase() }, path: 'targetGroup.name', message: /unique in the account and region \(ELBv2 ignores case\)/ },
    { rule: 'a service whose created security group has another file’s name in the same VPC', set: { 'service.name': 'stg-server' }, path: 'service.name', message: /unique in the VPC: it names the created security group "<service>-tasks"/ },
    {
      rule: 'a pipeline whose CodeBuild project (and role) has another file’s name',
      set: { pipeline: { ...stg.pipeline, projectName: 'stg-server-build' } },
      // stg.json writes no projectName: its family names the project, so that is its field to change
      path: 'taskDefinition.family',
      message: /names the CodeBuild project "stg-server-build" \(pipeline\.projectName is not set\); the CodeBuild project must be unique in the account, with its role "stg-server-build-codebuild".*; .*preview\.json uses it too/,
    },
    { rule: 'same ECR repository (one lifecycle policy each)', set: { 'ecrLifecycle.repository': stg.ecrLifecycle.repository }, path: 'ecrLifecycle.repository', message: /one lifecycle policy/ },
  ];

  test.each(cases)('$rule', ({ set, path: field, message }) => {
    // GIVEN preview.json changed to collide with stg.json (both files get an error; this reads stg.json's)
    const colliding = structuredClone(preview);
    for (const [dotted, value] of Object.entries(set)) setPath(colliding, dotted, value);
    const project = tempProject({ preview: colliding, stg });
    const errors: string[] = [];
    // WHEN
    const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line) });
    // THEN
    expect(result.exitCode).toBe(1);
    const file = path.join(project.environmentsDir, 'stg.json');
    expect(errors.find((error) => error.startsWith(`error: ${file}: ${field}: `))).toMatch(message);
    expect(fs.existsSync(project.outdir)).toBe(false);
  });

  test('a family whose created IAM roles have another file’s names but for case is an error (IAM is global and ignores case)', () => {
    // GIVEN two files creating "<family>-execution" and "<family>-task", the second in capitals
    const project = tempProject({ a: preview, b: setPath(structuredClone(preview), 'taskDefinition.family', 'PREVIEW-SERVER') });
    const errors: string[] = [];
    // WHEN
    const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line) });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(errors.find((error) => error.includes('b.json: taskDefinition.family: '))).toMatch(/unique in the account: it names the created IAM roles.*a\.json uses it too/);
  });

  test('stack names that differ only in case are an error: they would share an output directory on macOS', () => {
    // GIVEN Preview.json beside preview.json
    const project = tempProject({ Preview: setPath(fixtureJson('preview'), 'listenerRule.priority', 7), stg });
    fs.copyFileSync(path.join(project.environmentsDir, 'Preview.json'), path.join(project.environmentsDir, 'preview.json'));
    const errors: string[] = [];
    // WHEN
    const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line) });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(errors.find((error) => error.includes('preview.json: (file): '))).toMatch(/the stack name must differ from Preview \(.*Preview\.json\) in more than case/);
  });

  test('all errors of all files come in one run', () => {
    // GIVEN two files, each with two errors
    const project = tempProject({
      a: setPath(setPath(fixtureJson('stg'), 'listenerRule.priority', 0), 'region', 'nowhere-1'),
      b: setPath(setPath(fixtureJson('preview'), 'targetGroup.name', '-x'), 'ecrLifecycle.keepImages', 0),
    });
    const errors: string[] = [];
    // WHEN
    synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line) });
    // THEN
    expect(errors.filter((error) => error.startsWith('error: ')).map((error) => error.split(': ').slice(1, 3).join(': ').replace(project.environmentsDir + path.sep, ''))).toEqual([
      'a.json: region',
      'a.json: listenerRule.priority',
      'b.json: targetGroup.name',
      'b.json: ecrLifecycle.keepImages',
    ]);
  });
});

/** Synthesizes the stg example with `set` applied; the lines it printed, and the stack when it was written. */
function synthWith(set: Record<string, unknown>): { exitCode: number; errors: string[]; stack?: any } {
  const config = fixtureJson('stg');
  for (const [field, value] of Object.entries(set)) setPath(config, field, value);
  const project = tempProject({ stg: config });
  const errors: string[] = [];
  const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line), warn: () => undefined });
  const file = path.join(project.outdir, 'stacks', 'stg', 'cdk.tf.json');
  return { exitCode: result.exitCode, errors, stack: fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined };
}

describe('Terraform references: whole references in ID and ARN fields, declared by the stack', () => {
  test('a variable reference reaches the stack as written, and the stack declares the variable', () => {
    // GIVEN the listener ARN as a variable
    // WHEN
    const { exitCode, errors, stack } = synthWith({ 'listenerRule.listenerArn': '${var.production_listener_arn}' });
    // THEN
    expect(errors).toEqual([]);
    expect(exitCode).toBe(0);
    expect(stack.resource.aws_alb_listener_rule.stg_server_rule.listener_arn).toBe('${var.production_listener_arn}');
    expect(stack.variable.production_listener_arn).toEqual({ type: 'string', description: expect.stringContaining('var.production_listener_arn') });
  });

  test('references to a data source the stack declares pass: a string attribute, and a list attribute by index', () => {
    // GIVEN the lookup fixture, whose ALB is data.aws_lb.production
    const config = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'lookup', 'lookup.json'), 'utf8'));
    delete config.adopt;
    setPath(config, 'dnsRecord.target', '${data.aws_lb.production.dns_name}');
    setPath(config, 'service.subnetTags', undefined);
    setPath(config, 'service.subnetIds', ['${data.aws_lb.production.subnets[0]}']);
    const project = tempProject({ lookup: config });
    const errors: string[] = [];
    // WHEN
    const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line), warn: () => undefined });
    // THEN
    expect(errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const stack = fs.readFileSync(path.join(project.outdir, 'stacks', 'lookup', 'cdk.tf.json'), 'utf8');
    expect(stack).toContain('${data.aws_lb.production.subnets[0]}');
  });

  test.each([
    ['a data source it does not declare', '${data.aws_vpc.production.id}', /must reference a variable, or a data source this stack declares: it declares no data\.aws_vpc\.production/],
    ['a resource of the stack (a cycle waiting to happen)', '${aws_lb_target_group.stg_server_target.arn}', /no resource of the stack/],
    ['a variable Terraform reserves', '${var.count}', /must name a variable Terraform allows: .*count.* are reserved/],
    ['a variable named like a JavaScript object key', '${var.__proto__}', /must name a variable other than __proto__/],
  ])('a reference to %s is an error at synth', (_, reference, message) => {
    // GIVEN
    // WHEN
    const { exitCode, errors } = synthWith({ 'targetGroup.vpcId': reference });
    // THEN one line: file, field, rule, value
    expect(exitCode).toBe(1);
    const line = errors.find((error) => error.includes(': targetGroup.vpcId: '));
    expect(line).toMatch(message);
    expect(line).toContain(`(got ${JSON.stringify(reference)})`);
  });

  test.each([
    ['a member of the cdktf class, not an attribute', '${data.aws_lb.production.fqn}', /must reference an attribute of data\.aws_lb\.production: it has no "fqn"/],
    ['an input getter', '${data.aws_lb.production.name_input}', /it has no "name_input"/],
    ['no such attribute', '${data.aws_lb.production.no_such_attribute}', /it has no "no_such_attribute"/],
    ['an index into a string', '${data.aws_lb.production.dns_name[0]}', /must index only a list: data\.aws_lb\.production\.dns_name is not one/],
    ['a list, unindexed, in a string field', '${data.aws_lb.production.subnets}', /must reference a string: .* is a list \(index it/],
    ['a map in a string field', '${data.aws_lb.production.tags}', /must reference a string: .* is a map or block/],
  ])('a data source reference to %s is an error at synth', (_, reference, message) => {
    // GIVEN the lookup fixture, whose ALB is data.aws_lb.production
    const config = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'lookup', 'lookup.json'), 'utf8'));
    delete config.adopt;
    setPath(config, 'dnsRecord.target', reference);
    const project = tempProject({ lookup: config });
    const errors: string[] = [];
    // WHEN
    const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line), warn: () => undefined });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(errors.find((error) => error.includes(': dnsRecord.target: '))).toMatch(message);
  });

  test.each([
    ['a function call, which would read a local file at plan', '${file("~/.aws/credentials")}'],
    ['a template around a reference', 'vpc-${var.suffix}'],
    ['two references', '${var.a}${var.b}'],
    ['a directive', '%{ if true }vpc-0123456789abcdef0%{ endif }'],
    ['a local (the stack declares none)', '${local.vpc_id}'],
    ['a path expression', '${path.cwd}'],
  ])('%s is refused in a reference field', (_, value) => {
    // GIVEN
    // WHEN
    const { exitCode, errors } = synthWith({ 'targetGroup.vpcId': value });
    // THEN
    expect(exitCode).toBe(1);
    expect(errors.find((error) => error.includes(': targetGroup.vpcId: '))).toMatch(/must be a value, or one whole reference: \$\{var\.<name>\}.*no functions/);
  });

  test.each([
    ['listenerRule.hostHeader', '${var.staging_host}', /must be a host name/],
    ['listenerRule.access.sourceIps', ['${var.office_cidr}'], /must be an IPv4 or IPv6 CIDR/],
    ['targetGroup.name', 'stg-server-target${path.cwd}', /1–32 letters, digits or hyphens/],
    ['cluster.name', '${var.cluster}', /letters, digits, hyphens or underscores/],
  ])('%s is checked as text, never a reference: the rules that protect production must see its value', (field, value, message) => {
    // GIVEN
    // WHEN
    const { exitCode, errors } = synthWith({ [field]: value });
    // THEN
    expect(exitCode).toBe(1);
    expect(errors.find((error) => error.includes(`: ${field}`))).toMatch(message);
  });

  test('free text reaches AWS as written: "${" and "%{" are escaped in the synthesized JSON', () => {
    // GIVEN free text holding what Terraform would otherwise evaluate
    const description = '${path.cwd} %{ if true }yes%{ endif } $${kept}';
    // WHEN
    const { exitCode, stack } = synthWith({ 'ecrLifecycle.description': description, 'taskDefinition.container.environment': { GREETING: '${file("/etc/hostname")}' } });
    // THEN Terraform reads each back as the text itself (plan: __tests__/terraform/literal-text.test.ts)
    expect(exitCode).toBe(0);
    const policy = JSON.parse(stack.resource.aws_ecr_lifecycle_policy['stg-server-lifecycle_policy'].policy);
    expect(policy.rules[0].description).toBe('$${path.cwd} %%{ if true }yes%%{ endif } $$${kept}');
    const [container] = JSON.parse(stack.resource.aws_ecs_task_definition.stg_server.container_definitions);
    expect(container.environment).toContainEqual({ name: 'GREETING', value: '$${file("/etc/hostname")}' });
  });
});

describe('accepted edge values', () => {
  test('a wildcard host is accepted with listenerRule.allowWildcardHost, and reaches the rule as written', () => {
    // GIVEN
    // WHEN
    const { exitCode, errors, stack } = synthWith({ 'listenerRule.hostHeader': '*.stg.example.com', 'listenerRule.allowWildcardHost': true, 'dnsRecord.name': 'api.stg.example.com' });
    // THEN
    expect(errors).toEqual([]);
    expect(exitCode).toBe(0);
    expect(JSON.stringify(stack.resource.aws_alb_listener_rule.stg_server_rule.condition)).toContain('*.stg.example.com');
  });

  test.each(['::ffff:203.0.113.7/128', '2001:db8::/32', '203.0.113.0/24'])('the CIDR %s is accepted', (cidr) => {
    // GIVEN / WHEN
    const { exitCode, errors } = synthWith({ 'listenerRule.access.sourceIps': [cidr] });
    // THEN
    expect(errors).toEqual([]);
    expect(exitCode).toBe(0);
  });
});
