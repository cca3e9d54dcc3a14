import * as fs from 'node:fs';
import { readEnvironments } from '../../src/environment/load';
import { hostPattern, previewBand, resolvePreview, rulesPerPreview, slotCollisions } from '../../src/environment/previews';
import { environmentSchema } from '../../src/environment/schema';
import { PREVIEWS } from '../support/bad-input-cases';
import { fixtureJson, setPath, tempProject } from '../support/environments';

/** The stg fixture with previews, changed at dotted paths, as the loader reads it. */
function stgWithPreviews(set: Record<string, unknown> = {}) {
  const json = { ...fixtureJson('stg'), ...structuredClone(PREVIEWS) };
  for (const [dotted, value] of Object.entries(set)) setPath(json, dotted, value);
  return json;
}
const parsed = (json: Record<string, unknown>) => environmentSchema.parse(json);

describe('a preview, resolved once from the file and the number', () => {
  test('names, host, slot, priorities and state key of PR 12 (band of 10 from 1000)', () => {
    // GIVEN / WHEN
    const preview = resolvePreview('stg', parsed(stgWithPreviews()), 12);
    // THEN
    expect(preview).toEqual({
      environment: 'stg',
      number: 12,
      stack: 'stg-pr-12',
      host: 'pr-12.stg-api.example.com',
      slot: 2,
      priorities: [1002],
      family: 'stg-server-pr-12',
      service: 'stg-server-pr-12',
      targetGroup: 'pr-12-stg-server-target',
      logGroup: 'stg-server/pr-12',
      imageTag: 'pr-12',
      stateKey: 'previews/stg/pr-12.tfstate',
      statePrefix: 'previews/stg',
      // the schema's default capacity for previews; staging has no schedule to inherit
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
      schedule: undefined,
    });
  });

  test("a preview inherits staging's working hours, and its own schedule and capacity win over the defaults", () => {
    // GIVEN staging sleeps at night
    const hours = { timezone: 'Asia/Tokyo', wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)' };
    const inherited = resolvePreview('stg', parsed(stgWithPreviews({ 'service.schedule': hours })), 12);
    // AND a file that gives previews their own
    const ownHours = { ...hours, sleep: 'cron(0 19 ? * MON-FRI *)' };
    const own = resolvePreview('stg', parsed(stgWithPreviews({ 'service.schedule': hours, 'previews.schedule': ownHours, 'previews.capacity': 'FARGATE' })), 12);
    // THEN
    expect(inherited.schedule).toEqual(hours);
    expect(own.schedule).toEqual(ownHours);
    expect(own.capacityProviderStrategy).toBeUndefined();
  });

  test('an allowlist spread over two rules gives each preview two consecutive priorities, and the band twice the room', () => {
    // GIVEN five CIDRs and a header: one rule holds the host, the header and three CIDRs
    const config = parsed(
      stgWithPreviews({
        'listenerRule.access.sourceIps': ['203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/24', '198.51.100.128/25', '203.0.113.128/25'],
        'listenerRule.access.httpHeader': { name: 'X-Staging-Key', valueFrom: '/stg/access-key' },
      }),
    );
    // WHEN / THEN
    expect(rulesPerPreview(config)).toBe(2);
    expect(resolvePreview('stg', config, 13).priorities).toEqual([1006, 1007]);
    expect(previewBand(config)).toEqual({ first: 1000, last: 1019 });
  });

  test('a long target group name is cut to ELBv2’s 32 characters, keeping pr-<number>- in front and no trailing hyphen', () => {
    // GIVEN a 31-character name whose cut falls after a hyphen
    const config = parsed(stgWithPreviews({ 'targetGroup.name': 'staging-api-server-blue-a-target' }));
    // WHEN
    const name = resolvePreview('stg', config, 4711).targetGroup;
    // THEN
    expect(name).toBe('pr-4711-staging-api-server-blue');
    expect(name.length).toBeLessThanOrEqual(32);
  });

  test('the host pattern: the written one, else pr-{number}.<hostHeader>', () => {
    // GIVEN / WHEN / THEN
    expect(hostPattern(parsed(stgWithPreviews()))).toBe('pr-{number}.stg-api.example.com');
    expect(resolvePreview('stg', parsed(stgWithPreviews({ 'previews.hostPattern': 'review-{number}.stg-api.example.com' })), 7).host).toBe('review-7.stg-api.example.com');
  });

  test('open previews collide only when their numbers are maxOpen apart', () => {
    // GIVEN maxOpen 10
    const config = parsed(stgWithPreviews());
    // WHEN / THEN
    expect(slotCollisions(config, [7, 12, 40])).toEqual([]);
    expect(slotCollisions(config, [7, 17, 12, 27])).toEqual([
      [7, 17],
      [7, 27],
    ]);
  });
});

describe('previews across files', () => {
  const errorsOf = (files: Record<string, unknown>) => {
    const project = tempProject(files);
    try {
      return readEnvironments(project.environmentsDir).acrossFiles.map((error) => error.message);
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  };
  /** A second environment on the same listener, its names its own. */
  const other = (set: Record<string, unknown>) => {
    const json = fixtureJson('stg');
    const changes: Record<string, unknown> = {
      'taskDefinition.family': 'dev-server',
      'taskDefinition.container.name': 'dev-server',
      'targetGroup.name': 'dev-server-target',
      'cluster.name': 'dev_ecs_cluster',
      'service.name': 'dev-server',
      'listenerRule.priority': 200,
      'listenerRule.hostHeader': 'dev-api.example.com',
      'dnsRecord.name': 'dev-api.example.com',
      'dnsRecord.setIdentifier': 'dev',
      'ecrLifecycle.repository': 'dev-server',
      'taskDefinition.container.image': '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/dev-server:stg',
      pipeline: undefined,
      ...set,
    };
    for (const [dotted, value] of Object.entries(changes)) setPath(json, dotted, value);
    return json;
  };

  test('a band over another environment’s rule is refused, naming both files', () => {
    // WHEN dev's rule, 1005, lies in stg's band, 1000–1009
    const errors = errorsOf({ dev: other({ 'listenerRule.priority': 1005 }), stg: stgWithPreviews() });
    // THEN
    expect(errors).toEqual([expect.stringMatching(/stg\.json: previews\.priorityBase: must start a band \(1000–1009\) clear of the priorities .*dev\.json takes \(1005–1005\)/)]);
  });

  test('two bands that overlap are refused; side by side they are fine', () => {
    // GIVEN dev with a band from 1005, stg from 1000 (10 slots each)
    const dev = (base: number) => other({ ...Object.fromEntries(Object.entries(PREVIEWS).map(([k, v]) => [k, structuredClone(v)])), 'previews.priorityBase': base });
    // WHEN / THEN
    expect(errorsOf({ dev: dev(1005), stg: stgWithPreviews() })).toEqual([expect.stringMatching(/previews\.priorityBase: must start a band \(1000–1009\) clear of the priorities .*dev\.json takes \(1005–1014\)/)]);
    expect(errorsOf({ dev: dev(1010), stg: stgWithPreviews() })).toEqual([]);
  });

  test('staging and open previews past the budget of an ALB (50 rules, 50 target groups) are refused at maxOpen', () => {
    // GIVEN stg's previews, 30 open, and dev's, 20: 2 + 50 rules
    const dev = other({ ...structuredClone(PREVIEWS), 'previews.priorityBase': 3000, 'previews.maxOpen': 20 });
    // WHEN
    const errors = errorsOf({ dev, stg: stgWithPreviews({ 'previews.maxOpen': 30 }) });
    // THEN
    expect(errors).toEqual([expect.stringMatching(/stg\.json: previews\.maxOpen: must keep the ALB within the previews' budget: staging and open previews on it would take 52 listener rules \(budget 50 of the ALB's 100\); lower maxOpen/)]);
    // and at 48 open in all, it fits
    expect(errorsOf({ dev, stg: stgWithPreviews({ 'previews.maxOpen': 28 }) })).toEqual([]);
  });

  test('two listeners of one ALB share its budget: 49 previews and two staging rules are refused', () => {
    // GIVEN dev on another listener of the same ALB, and stg with 49 previews
    const dev = other({ 'listenerRule.listenerArn': fixtureJson('stg').listenerRule.listenerArn.replace(/[0-9a-f]{16}$/, 'fedcba9876543210'), 'listenerRule.priority': 100 });
    // WHEN
    const errors = errorsOf({ dev, stg: stgWithPreviews({ 'previews.maxOpen': 49 }) });
    // THEN 51 rules (and 51 target groups): the rules are named first
    expect(errors).toEqual([expect.stringMatching(/would take 51 listener rules/)]);
  });
});

describe('the preview rules at their boundaries (one file)', () => {
  const errorsOf = (set: Record<string, unknown>) => {
    const json = stgWithPreviews(set);
    const project = tempProject({ stg: json });
    try {
      return readEnvironments(project.environmentsDir).files[0].errors.map((line) => line.replace(/^.*stg\.json: /, ''));
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  };

  test('the stg fixture with previews passes every rule', () => {
    expect(errorsOf({})).toEqual([]);
  });

  test.each([
    ['a band ending exactly at 50000', { 'previews.priorityBase': 49991 }],
    ['a band starting just after staging’s rule', { 'previews.priorityBase': 101 }],
    ['a band ending just before staging’s rule', { 'previews.priorityBase': 90 }],
    ['a family with exactly room for -pr-<number>', { 'taskDefinition.family': 'f'.repeat(242), 'taskDefinition.executionRoleArn': 'arn:aws:iam::123456789012:role/x', 'taskDefinition.taskRoleArn': 'arn:aws:iam::123456789012:role/y', 'pipeline.projectName': 'stg-build' }],
    ['a service name with exactly room for -pr-<number>', { 'service.name': 's'.repeat(242) }],
    ['a project name with exactly room for the previews’ build role', { 'pipeline.projectName': 'p'.repeat(45) }],
    ['a preview memory Fargate has for staging’s CPU', { 'previews.memory': 1024 }],
    // 54 letters and the 9 digits of the largest number (999999999): 63
    ['a first label of exactly 63 characters at the largest number', { 'previews.hostPattern': `${'a'.repeat(54)}{number}.stg-api.example.com` }],
    // the log group and "/pr-999999999": exactly 512
    ['a log group with exactly room for /pr-<number>', { 'taskDefinition.container.logGroup': 'l'.repeat(499) }],
  ])('%s is accepted', (_, set) => {
    expect(errorsOf(set)).toEqual([]);
  });

  test.each([
    ['a family one character too long', { 'taskDefinition.family': 'f'.repeat(243), 'taskDefinition.executionRoleArn': 'arn:aws:iam::123456789012:role/x', 'taskDefinition.taskRoleArn': 'arn:aws:iam::123456789012:role/y', 'pipeline.projectName': 'stg-build' }, 'taskDefinition.family: must leave room for "-pr-<number>" in the previews\' family (at most 242 characters)'],
    ['a log group with no room for /pr-<number>', { 'taskDefinition.container.logGroup': 'l'.repeat(503) }, 'taskDefinition.container.logGroup: must leave room for "/pr-<number>" in the previews\' log groups (at most 499 characters)'],
    ['a wildcard staging host', { 'listenerRule.hostHeader': '*.stg-api.example.com', 'listenerRule.allowWildcardHost': true, 'dnsRecord.name': 'x.stg-api.example.com', 'previews.hostPattern': 'pr-{number}.x.stg-api.example.com' }, 'listenerRule.hostHeader: must be one host name when previews are on'],
    ['a preview memory without a CPU, wrong for staging’s CPU', { 'previews.memory': 4096 }, 'previews.memory: must be a Fargate memory size for cpu 256'],
    ['a preview CPU without a memory, wrong for staging’s memory', { 'previews.cpu': 4096 }, 'previews.cpu: must be a Fargate memory size for cpu 4096'],
    [
      'a first label of 64 characters at the largest number',
      { 'previews.hostPattern': `${'a'.repeat(55)}{number}.stg-api.example.com` },
      'previews.hostPattern: must make host names ELBv2 and DNS accept for every pull request number: letters, digits and "-", a first label of at most 63 characters, 128 in all',
    ],
    ['a service name one character too long', { 'service.name': 's'.repeat(243) }, 'service.name: must leave room for "-pr-<number>" in the previews\' service names (at most 242 characters)'],
  ])('%s is refused', (_, set, line) => {
    expect(errorsOf(set)).toContainEqual(expect.stringContaining(line));
  });

  test('a preview memory with staging’s CPU, not a Fargate one, names the preview’s memory too', () => {
    // GIVEN staging's cpu 300 and a preview memory of its own
    // WHEN
    const errors = errorsOf({ 'taskDefinition.cpu': 300, 'previews.memory': 1024 });
    // THEN staging's own error, and the preview's at the field it gave
    expect(errors).toEqual([
      'taskDefinition.cpu: must be a Fargate CPU size: 256, 512, 1024, 2048, 4096, 8192 or 16384 (got 300)',
      'previews.memory: must be a Fargate CPU size: 256, 512, 1024, 2048, 4096, 8192 or 16384 (got 300)',
    ]);
  });

  test('previews without a size of their own add nothing to staging’s wrong size', () => {
    // GIVEN staging's cpu 256 with memory 4096, and previews that inherit both
    // WHEN / THEN staging's error alone
    expect(errorsOf({ 'taskDefinition.memory': 4096 })).toEqual(['taskDefinition.memory: must be a Fargate memory size for cpu 256: 512, 1024, 2048 (got 4096)']);
  });

  test('without previews, a wildcard staging host is not the previews’ concern', () => {
    // GIVEN stg with no previews section, a wildcard host allowed
    const json = fixtureJson('stg');
    for (const [dotted, value] of Object.entries({ 'listenerRule.hostHeader': '*.stg-api.example.com', 'listenerRule.allowWildcardHost': true, 'dnsRecord.name': 'x.stg-api.example.com' })) {
      setPath(json, dotted, value);
    }
    const project = tempProject({ stg: json });
    try {
      // WHEN
      const report = readEnvironments(project.environmentsDir).files[0];
      // THEN
      expect(report.errors).toEqual([]);
      expect(report.stage).toBe('valid');
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  });
});
