import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCloudwatchLogGroup } from '@cdktf/provider-aws/lib/data-aws-cloudwatch-log-group';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack, Testing } from 'cdktf';
import { visitAll } from '../../src/stack/cdktf-adapter';
import { GuardrailFinding, Guardrails, Suppression } from '../../src/guardrails/aspect';
import { blocks, GuardrailRule, list, parseJson, StackView, statements } from '../../src/guardrails/guardrail';
import { formatGuardrailFinding } from '../../src/guardrails/report';

/** The engine around the rules: visiting, suppressions, annotations, the stack view, the report line. */

/** A rule that finds every log group, at `level`, with the group's name as the value. */
function everyLogGroup(id: string, level: 'error' | 'warning', suppressible?: boolean): GuardrailRule {
  return { id, level, message: 'm', explanation: 'e', suppressible, check: (r) => (r.type === 'aws_cloudwatch_log_group' ? [{ detail: 'found', value: r.attributes.name }] : []) };
}

function stackWith(...groups: string[]): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'stack');
  for (const name of groups) new CloudwatchLogGroup(stack, name, { name, retentionInDays: 1 });
  return stack;
}

/** Every cdktf annotation in the stack: `<construct id> <level> <text>`. */
function annotations(stack: TerraformStack): string[] {
  return stack.node.findAll().flatMap((node) => node.node.metadata.filter((m) => m.type.startsWith('@cdktf/')).map((m) => `${node.node.id} ${m.type} ${m.data}`));
}

function run(stack: TerraformStack, rules: GuardrailRule[], suppressions?: Suppression[]): Guardrails {
  const guardrails = new Guardrails({ rules, suppressions });
  visitAll(stack, guardrails);
  return guardrails;
}

describe('the guardrail engine', () => {
  test('each resource is checked once, however often it is visited; non-resources are skipped', () => {
    // GIVEN
    const stack = stackWith('a');
    const guardrails = new Guardrails({ rules: [everyLogGroup('STG-A', 'error')] });
    // WHEN visited twice, as synth and cdktf both do
    visitAll(stack, guardrails);
    visitAll(stack, guardrails);
    // THEN
    expect(guardrails.findings.map((f) => f.address)).toEqual(['aws_cloudwatch_log_group.a']);
  });

  test('a resource added after the first visit is still checked, with its own attributes', () => {
    // GIVEN a plain stack, visited once
    const stack = stackWith('a');
    const guardrails = new Guardrails({ rules: [everyLogGroup('STG-A', 'error')] });
    visitAll(stack, guardrails);
    // WHEN a log group is added and the stack visited again
    new CloudwatchLogGroup(stack, 'late', { name: 'late-group', retentionInDays: 1 });
    visitAll(stack, guardrails);
    // THEN
    expect(guardrails.findings.map((f) => [f.address, f.value])).toEqual([
      ['aws_cloudwatch_log_group.a', 'a'],
      ['aws_cloudwatch_log_group.late', 'late-group'],
    ]);
  });

  test('an error becomes an error annotation and a warning a warning annotation, naming rule, message and detail', () => {
    // GIVEN / WHEN
    const stack = stackWith('a', 'b');
    run(stack, [everyLogGroup('STG-Err', 'error'), everyLogGroup('STG-Warn', 'warning')]);
    // THEN
    expect(annotations(stack).sort()).toEqual([
      'a @cdktf/error STG-Err: m: found', 'a @cdktf/warn STG-Warn: m: found',
      'b @cdktf/error STG-Err: m: found', 'b @cdktf/warn STG-Warn: m: found',
    ]);
  });

  test('a suppression limited to one address silences only that one, records its reason, and adds no annotation', () => {
    // GIVEN
    const stack = stackWith('a', 'b');
    const suppression = { id: 'STG-A', reason: 'because it is fine here', resources: ['aws_cloudwatch_log_group.a'] };
    // WHEN
    const guardrails = run(stack, [everyLogGroup('STG-A', 'error')], [suppression]);
    // THEN
    expect(guardrails.findings.map((f) => [f.address, f.suppressedBecause])).toEqual([
      ['aws_cloudwatch_log_group.a', 'because it is fine here'],
      ['aws_cloudwatch_log_group.b', undefined],
    ]);
    expect(annotations(stack)).toEqual(['b @cdktf/error STG-A: m: found']);
    expect(guardrails.unusedSuppressions).toEqual([]);
  });

  test('a suppression that matched nothing is reported as unused; one that matched is not', () => {
    // GIVEN
    const used = { id: 'STG-A', reason: 'r'.repeat(20) };
    const unused = { id: 'STG-B', reason: 'r'.repeat(20) };
    // WHEN
    const guardrails = run(stackWith('a'), [everyLogGroup('STG-A', 'error'), everyLogGroup('STG-B', 'error')].map((rule) => (rule.id === 'STG-B' ? { ...rule, check: () => [] } : rule)), [used, unused]);
    // THEN
    expect(guardrails.unusedSuppressions).toEqual([unused]);
  });

  test('invalid suppressions: an unknown rule (with the nearest name) and a rule that cannot be suppressed, each at its index', () => {
    // GIVEN
    const rules = [everyLogGroup('STG-PublicIp', 'warning'), everyLogGroup('STG-Open', 'error', false)];
    const suppressions = [
      { id: 'STG-PublicIp', reason: 'r'.repeat(20) },
      { id: 'STG-PublicIP', reason: 'r'.repeat(20) },
      { id: 'STG-Open', reason: 'r'.repeat(20) },
      { id: 'STG-Zzzzzzzzzzzz', reason: 'r'.repeat(20) },
    ];
    // WHEN
    const invalid = new Guardrails({ rules, suppressions }).invalidSuppressions;
    // THEN
    expect(invalid.map((f) => [f.path.join('.'), f.message, f.value])).toEqual([
      ['guardrails.suppress.1.id', 'must name a suppressible guardrail rule: there is no STG-PublicIP; did you mean STG-PublicIp?; they are STG-PublicIp', 'STG-PublicIP'],
      ['guardrails.suppress.2.id', 'must name a suppressible guardrail rule: STG-Open cannot be suppressed (its opt-out is a field of the file); they are STG-PublicIp', 'STG-Open'],
      ['guardrails.suppress.3.id', 'must name a suppressible guardrail rule: there is no STG-Zzzzzzzzzzzz; they are STG-PublicIp', 'STG-Zzzzzzzzzzzz'],
    ]);
  });

  test('a suppression of a rule that cannot be suppressed silences nothing', () => {
    const guardrails = run(stackWith('a'), [everyLogGroup('STG-Open', 'error', false)], [{ id: 'STG-Open', reason: 'r'.repeat(20) }]);
    expect(guardrails.findings.map((f) => f.suppressedBecause)).toEqual([undefined]);
  });

  test('a rule that throws a non-Error is reported with its text too', () => {
    const throwing: GuardrailRule = { id: 'STG-Throws', level: 'warning', message: 'm', explanation: 'e', check: () => { throw 'plain text'; } };
    expect(run(stackWith('a'), [throwing]).findings.map((f) => [f.level, f.detail])).toEqual([['warning', 'the rule threw an error, so this resource is unchecked: plain text']]);
  });

  test('the stack view follows a reference to a managed resource, and to nothing else', () => {
    // GIVEN a rule that reports what a log group's kms_key_id points to
    const stack = stackWith('a');
    const cluster = new EcsCluster(stack, 'cluster', { name: 'c' });
    new CloudwatchLogGroup(stack, 'b', { name: 'b', retentionInDays: 1, kmsKeyId: cluster.arn });
    new CloudwatchLogGroup(stack, 'c', { name: 'c', retentionInDays: 1, kmsKeyId: 'arn:aws:kms:ap-northeast-1:123456789012:key/x' });
    new CloudwatchLogGroup(stack, 'd', { name: 'd', retentionInDays: 1, kmsKeyId: `${cluster.arn}-suffix` });
    const follows: GuardrailRule = {
      id: 'STG-Follows', level: 'warning', message: 'm', explanation: 'e',
      check: (r, view) => (r.type === 'aws_cloudwatch_log_group' ? [{ detail: String(view.referenced(r.attributes.kms_key_id)?.address) }] : []),
    };
    // WHEN
    const found = run(stack, [follows]).findings.map((f) => `${f.address} → ${f.detail}`);
    // THEN
    expect(found).toEqual([
      'aws_cloudwatch_log_group.a → undefined',
      'aws_cloudwatch_log_group.b → aws_ecs_cluster.cluster',
      'aws_cloudwatch_log_group.c → undefined',
      'aws_cloudwatch_log_group.d → undefined',
    ]);
  });
});

describe('the guardrail engine, edge by edge', () => {
  test('with no suppressions given, none is unused and none is invalid', () => {
    // GIVEN
    const guardrails = run(stackWith('a'), [everyLogGroup('STG-A', 'error')]);
    // WHEN / THEN
    expect(guardrails.unusedSuppressions).toEqual([]);
    expect(guardrails.invalidSuppressions).toEqual([]);
    expect(guardrails.findings.map((f) => f.suppressedBecause)).toEqual([undefined]);
  });

  test('an invalid suppression lists every suppressible rule, comma-separated', () => {
    // GIVEN
    const rules = [everyLogGroup('STG-A', 'error'), everyLogGroup('STG-B', 'warning'), everyLogGroup('STG-C', 'error', false)];
    // WHEN
    const invalid = new Guardrails({ rules, suppressions: [{ id: 'STG-Nothing', reason: 'r'.repeat(20) }] }).invalidSuppressions;
    // THEN
    expect(invalid.map((f) => f.message)).toEqual(['must name a suppressible guardrail rule: there is no STG-Nothing; they are STG-A, STG-B']);
  });

  test('a suppression silences only the rule it names, not another rule on the same resource', () => {
    // GIVEN
    const suppression = { id: 'STG-A', reason: 'because A is fine here' };
    // WHEN
    const guardrails = run(stackWith('a'), [everyLogGroup('STG-A', 'error'), everyLogGroup('STG-B', 'error')], [suppression]);
    // THEN
    expect(guardrails.findings.map((f) => [f.ruleId, f.suppressedBecause])).toEqual([
      ['STG-A', 'because A is fine here'],
      ['STG-B', undefined],
    ]);
  });

  test.each<[string, unknown, string]>([
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['an object with no message', { code: 42 }, '[object Object]'],
  ])('a rule that throws %s is reported, not a crash', (_, thrown, text) => {
    // GIVEN
    const throwing: GuardrailRule = { id: 'STG-Throws', level: 'error', message: 'm', explanation: 'e', check: () => { throw thrown; } };
    // WHEN
    const guardrails = run(stackWith('a'), [throwing]);
    // THEN
    expect(guardrails.findings.map((f) => f.detail)).toEqual([`the rule threw an error, so this resource is unchecked: ${text}`]);
  });

  test('the stack view holds the managed resources only: not the provider, data sources or outputs', () => {
    // GIVEN a stack with a provider, a looked-up log group, an output and two managed log groups
    const stack = stackWith('a', 'b');
    new AwsProvider(stack, 'aws', { region: 'ap-northeast-1' });
    new DataAwsCloudwatchLogGroup(stack, 'existing', { name: 'existing' });
    new TerraformOutput(stack, 'out', { value: 'x' });
    const census: GuardrailRule = { id: 'STG-Census', level: 'warning', message: 'm', explanation: 'e', check: (r, view) => (r.address === 'aws_cloudwatch_log_group.a' ? [{ detail: view.resources.map((v) => v.address).join(' ') }] : []) };
    // WHEN
    const guardrails = run(stack, [census]);
    // THEN
    expect(guardrails.findings.map((f) => f.detail)).toEqual(['aws_cloudwatch_log_group.a aws_cloudwatch_log_group.b']);
  });

  test('the stack view is built once per stack and shared by every check', () => {
    // GIVEN a rule that records the view it is given
    const seen: StackView[] = [];
    const recorder: GuardrailRule = { id: 'STG-Recorder', level: 'warning', message: 'm', explanation: 'e', check: (_, view) => { seen.push(view); return []; } };
    // WHEN
    run(stackWith('a', 'b', 'c'), [recorder]);
    // THEN
    expect(seen).toHaveLength(3);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toBe(seen[0]);
  });

  test.each<[string, unknown, string]>([
    ['the reference itself, to the cluster', '${aws_ecs_cluster.cluster.arn}', 'aws_ecs_cluster.cluster'],
    ['a reference with text before it, to nothing', 'prefix-${aws_ecs_cluster.cluster.arn}', 'undefined'],
    ['a reference inside a list, to nothing', ['${aws_ecs_cluster.cluster.arn}'], 'undefined'],
    ['a number, to nothing', 42, 'undefined'],
  ])('the stack view follows %s', (_, reference, expected) => {
    // GIVEN a managed cluster, and a rule that reports what `reference` points to
    const stack = stackWith('a');
    new EcsCluster(stack, 'cluster', { name: 'c' });
    const follows: GuardrailRule = {
      id: 'STG-Follows', level: 'warning', message: 'm', explanation: 'e',
      check: (r, view) => (r.address === 'aws_cloudwatch_log_group.a' ? [{ detail: String(view.referenced(reference)?.address) }] : []),
    };
    // WHEN
    const found = run(stack, [follows]).findings.map((f) => f.detail);
    // THEN
    expect(found).toEqual([expected]);
  });
});

describe('the report line', () => {
  const finding: GuardrailFinding = { ruleId: 'STG-X', level: 'error', address: 'aws_x.y', message: 'must hold', detail: 'it does not', explanation: 'Why and how.', value: { a: 1 } };

  test('file, address, rule, message, detail and the value as JSON, then the explanation', () => {
    expect(formatGuardrailFinding('environments/stg.json', finding)).toBe('error: environments/stg.json: aws_x.y: STG-X: must hold: it does not (got {"a":1})\n  Why and how.');
  });

  test('no "(got …)" without a value, but one for a falsy value', () => {
    expect(formatGuardrailFinding('f', { ...finding, value: undefined })).toBe('error: f: aws_x.y: STG-X: must hold: it does not\n  Why and how.');
    expect(formatGuardrailFinding('f', { ...finding, level: 'warning', value: 0 })).toBe('warning: f: aws_x.y: STG-X: must hold: it does not (got 0)\n  Why and how.');
  });
});

describe('the rules’ helpers', () => {
  test('parseJson: JSON text parsed; anything else, or bad JSON, undefined', () => {
    expect(parseJson('{"a":1}')).toEqual({ a: 1 });
    expect(parseJson({ a: 1 })).toBeUndefined();
    expect(parseJson('{not json')).toBeUndefined();
  });

  test.each([[42], [null], [true], [['[1]']]])('parseJson: %j is not JSON text, so undefined', (value) => {
    expect(parseJson(value)).toBeUndefined();
  });

  test('blocks: one object or a list as a list; nothing as an empty list', () => {
    expect(blocks({ a: 1 })).toEqual([{ a: 1 }]);
    expect(blocks([{ a: 1 }, { b: 2 }])).toEqual([{ a: 1 }, { b: 2 }]);
    expect(blocks(undefined)).toEqual([]);
    expect(blocks(null)).toEqual([]);
  });

  test('statements: from a document or its JSON text; none from anything else', () => {
    const document = { Statement: [{ Effect: 'Allow' }] };
    expect(statements(document)).toEqual([{ Effect: 'Allow' }]);
    expect(statements(JSON.stringify(document))).toEqual([{ Effect: 'Allow' }]);
    expect(statements(JSON.stringify({ Statement: { Effect: 'Deny' } }))).toEqual([{ Effect: 'Deny' }]);
    expect(statements('not json')).toEqual([]);
    expect(statements(undefined)).toEqual([]);
  });

  test('list: a value or a list of them, as strings; nothing as an empty list', () => {
    expect(list('s3:GetObject')).toEqual(['s3:GetObject']);
    expect(list(['a', 'b'])).toEqual(['a', 'b']);
    expect(list(undefined)).toEqual([]);
  });
});
