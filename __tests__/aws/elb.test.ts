import { chunkCidrs, cidrsPerRule, elbArnKind, hostMatches, isValidHostHeader, PRIORITY, priorityRoom, rulePriorities, timeoutBelowInterval } from '../../src/aws/elb';

describe('ELBv2 HostHeaderConditionConfig: a host header value', () => {
  test.each<[string, string, boolean]>([
    // GIVEN a value of exactly 128 characters (the limit) and one past it
    ['128 characters, the limit', `${'a'.repeat(124)}.com`, true],
    ['129 characters, one past the limit', `${'a'.repeat(125)}.com`, false],
    ['wildcards * and ?', '*.ex?mple.com', true],
    ['no dot', 'localhost', false],
    ['a digit after the last dot', 'example.c0m', false],
    ['an underscore', 'my_app.example.com', false],
  ])('%s: %s → %s', (_, value, valid) => {
    // WHEN / THEN
    expect(isValidHostHeader(value)).toBe(valid);
  });
});

describe('ALB host-header matching: case-insensitive, "*" any run, "?" one character', () => {
  test.each<[string, string, string, boolean]>([
    ['an exact name matches itself', 'api.example.com', 'api.example.com', true],
    ['a different name does not match', 'api.example.com', 'web.example.com', false],
    ['"." is a literal dot, not any character', 'api.example.com', 'api-example.com', false],
    ['"-" and "+" are literal', 'a-b+c.example.com', 'a-b+c.example.com', true],
    ['case is ignored', 'API.Example.com', 'api.example.COM', true],
    ['a trailing dot on the host is ignored', 'api.example.com', 'api.example.com.', true],
    ['"*" matches a run of characters', '*.example.com', 'stg-api.example.com', true],
    ['"*" matches across dots', '*.example.com', 'a.b.example.com', true],
    ['"*" still needs the rest of the pattern', '*.example.com', 'example.org', false],
    ['"?" matches exactly one character', 'ap?.example.com', 'api.example.com', true],
    ['"?" does not match two characters', 'ap?.example.com', 'apii.example.com', false],
    ['"?" does not match none', 'ap?.example.com', 'ap.example.com', false],
    ['the pattern is anchored at the start', 'example.com', 'api.example.com', false],
    ['the pattern is anchored at the end', 'api.example', 'api.example.com', false],
  ])('%s (%s vs %s)', (_, pattern, host, matches) => {
    // WHEN / THEN
    expect(hostMatches(pattern, host)).toBe(matches);
  });
});

describe('ELBv2 quota of 5 condition values per rule: CIDRs per listener rule', () => {
  test.each<[boolean, number]>([
    // GIVEN the host header takes one value, a header condition one more
    [false, 4],
    [true, 3],
  ])('with a header condition %s: %i CIDRs', (hasHeader, count) => {
    expect(cidrsPerRule(hasHeader)).toBe(count);
  });
});

describe('chunkCidrs: one chunk per listener rule', () => {
  const cidrs = (n: number) => Array.from({ length: n }, (_, i) => `10.0.${i}.0/24`);

  test('an empty allowlist is one rule with no CIDR condition', () => {
    // GIVEN / WHEN / THEN
    expect(chunkCidrs([], false)).toEqual([[]]);
  });

  test.each<[string, number, boolean, number[]]>([
    ['one CIDR: one rule', 1, false, [1]],
    ['4 CIDRs, no header: exactly one full rule (no empty rule after it)', 4, false, [4]],
    ['5 CIDRs, no header: a full rule and one with the fifth', 5, false, [4, 1]],
    ['8 CIDRs, no header: two full rules', 8, false, [4, 4]],
    ['3 CIDRs with a header: exactly one full rule', 3, true, [3]],
    ['7 CIDRs with a header: 3, 3, 1', 7, true, [3, 3, 1]],
  ])('%s', (_, n, hasHeader, sizes) => {
    // WHEN
    const chunks = chunkCidrs(cidrs(n), hasHeader);
    // THEN the sizes, and the CIDRs in order with none lost or repeated
    expect(chunks.map((chunk) => chunk.length)).toEqual(sizes);
    expect(chunks.flat()).toEqual(cidrs(n));
  });

  test('chunks keep the order of the allowlist', () => {
    // GIVEN / WHEN
    const chunks = chunkCidrs(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24', '10.0.4.0/24'], false);
    // THEN
    expect(chunks).toEqual([['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24'], ['10.0.4.0/24']]);
  });
});

describe('rule priorities: consecutive from the environment priority', () => {
  test.each<[number, number, number[]]>([
    [10, 3, [10, 11, 12]],
    [1, 1, [1]],
    [7, 0, []],
  ])('priority %i, %i rules → %j', (priority, count, expected) => {
    expect(rulePriorities(priority, count)).toEqual(expected);
  });
});

describe('ELBv2 CreateRule, Priority 1–50000: room for the rules', () => {
  test('the limits are 1 and 50000', () => {
    expect(PRIORITY).toEqual({ min: 1, max: 50000 });
  });

  test.each<[number, number, boolean]>([
    // GIVEN the last rule's priority at 50000, and one past it
    [49998, 3, true],
    [49999, 3, false],
    [50000, 1, true],
    [50001, 1, false],
    [1, 100, true],
  ])('priority %i with %i rules → %s', (priority, count, room) => {
    expect(priorityRoom(priority, count)).toBe(room);
  });
});

describe('elbArnKind: what kind of ELBv2 ARN a string is, to explain a wrong one', () => {
  test.each<[string, string, ReturnType<typeof elbArnKind>]>([
    ['a listener', 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef', 'listener'],
    ['a listener rule (not read as a listener)', 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule/app/prod-alb/0123456789abcdef/0123456789abcdef/0123456789abcdef', 'listener-rule'],
    ['a load balancer', 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/prod-alb/0123456789abcdef', 'loadbalancer'],
    ['a target group', 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/prod-api-target/0123456789abcdef', 'targetgroup'],
    ['another service’s ARN', 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/prod', undefined],
    ['a kind without its slash', 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener', undefined],
    ['not an ARN', 'prod-alb', undefined],
  ])('%s → %s', (_, value, kind) => {
    // WHEN / THEN
    expect(elbArnKind(value)).toBe(kind);
  });
});

describe('ELBv2 CreateTargetGroup: the health check timeout must be smaller than the interval', () => {
  test.each<[number, number, boolean]>([
    [5, 30, true],
    [29, 30, true],
    [30, 30, false],
    [31, 30, false],
  ])('timeout %i, interval %i → %s', (timeout, interval, ok) => {
    // WHEN / THEN
    expect(timeoutBelowInterval(timeout, interval)).toBe(ok);
  });
});
