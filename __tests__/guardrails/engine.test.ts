import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { TerraformStack, Testing } from 'cdktf';
import { visitAll } from '../../src/synth/cdktf-adapter';
import { GuardrailFinding, Guardrails, Suppression } from '../../src/guardrails/aspect';
import { blocks, GuardrailRule, list, parseJson, statements } from '../../src/guardrails/guardrail';
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
