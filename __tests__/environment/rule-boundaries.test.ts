import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkEnvironmentFile, FileReport } from '../../src/environment/load';
import { fixtureJson, setPath, tempProject } from '../support/environments';

/**
 * The single-field rules of src/environment/rules at their boundaries: each case is the stg example
 * with one change, read and checked as one file, and the test names the exact error line (or none).
 */

const project = tempProject({});
afterAll(() => fs.rmSync(project.root, { recursive: true, force: true }));

let cases = 0;
/** The stg example with changes at dotted paths (`undefined` removes a field), checked on its own. */
function checked(set: Record<string, unknown>): { file: string; report: FileReport } {
  const json = fixtureJson('stg');
  for (const [dotted, value] of Object.entries(set)) setPath(json, dotted, value);
  const file = path.join(project.environmentsDir, `case${cases++}.json`);
  fs.writeFileSync(file, JSON.stringify(json));
  return { file, report: checkEnvironmentFile(file) };
}

/** A value as error lines quote it: its JSON, cut to 77 characters and "..." past 80. */
function shown(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The one error line the change should give: `<file>: <field>: <message> (got <value>)`. */
function expectOnlyError(set: Record<string, unknown>, field: string, message: string, value: unknown) {
  const { file, report } = checked(set);
  expect(report.errors).toEqual([`${file}: ${field}: ${message} (got ${shown(value)})`]);
}

/** The change passes every rule of the file. */
function expectValid(set: Record<string, unknown>) {
  const { report } = checked(set);
  expect(report.errors).toEqual([]);
  expect(report.stage).toBe('valid');
}

const REFERENCE_RULE =
  'must be a value, or one whole reference: ${var.<name>} or ${data.<type>.<name>.<attribute>} (no functions, no text around it, no %{ directives, no resource of the stack)';

describe('listenerRule.listenerArn: an ALB listener ARN, and what a wrong one is', () => {
  const LISTENER_RULE = 'must be an ALB listener ARN (arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<name>/<id>/<id>)';
  const ELB = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012';

  test.each([
    ['a load balancer ARN', `${ELB}:loadbalancer/app/prod-alb/0123456789abcdef`, `${LISTENER_RULE}, not a load balancer ARN`],
    ['a target group ARN', `${ELB}:targetgroup/stg-server-target/0123456789abcdef`, `${LISTENER_RULE}, not a target group ARN`],
    ['a listener rule ARN', `${ELB}:listener-rule/app/prod-alb/0123456789abcdef/0123456789abcdef/0123456789abcdef`, `${LISTENER_RULE}, not a listener rule ARN`],
    ['a Network Load Balancer listener ARN (a listener, not an ALB’s)', `${ELB}:listener/net/prod-nlb/0123456789abcdef/0123456789abcdef`, LISTENER_RULE],
    ['a load balancer name', 'prod-alb', LISTENER_RULE],
    ['an ARN with a reference inside it', `${ELB}:listener/app/\${var.alb}/0123456789abcdef/0123456789abcdef`, REFERENCE_RULE],
  ])('%s is refused', (_, value, message) => {
    expectOnlyError({ 'listenerRule.listenerArn': value }, 'listenerRule.listenerArn', message, value);
  });

  test('one whole reference is taken as it is', () => {
    expectValid({ 'listenerRule.listenerArn': '${var.listener_arn}' });
  });
});

describe('reference fields (referenceRule): the value checked, or one whole reference', () => {
  test.each([
    ['a VPC ID', 'vpc-0123456789abcdef0'],
    ['one whole data source reference', '${data.aws_vpc.production.id}'],
  ])('targetGroup.vpcId as %s is accepted', (_, value) => {
    expectValid({ 'targetGroup.vpcId': value });
  });

  test.each([
    ['a reference with text around it', 'vpc-${var.suffix}', REFERENCE_RULE],
    ['a directive', '%{ if true }vpc-0123456789abcdef0%{ endif }', REFERENCE_RULE],
    ['a value the rule refuses', 'vpc-123', 'must be a VPC ID like vpc-0123456789abcdef0'],
  ])('targetGroup.vpcId as %s is refused', (_, value, message) => {
    expectOnlyError({ 'targetGroup.vpcId': value }, 'targetGroup.vpcId', message, value);
  });
});

describe('targetGroup.healthCheck.matcher: codes 200–499, a list, or a range below 400', () => {
  const MESSAGE = 'must be HTTP codes from 200 to 499, as "200", "200,401" or a range below 400 like "200-299" (a range into 4xx calls a task answering 404 healthy)';

  test.each([
    ['the lowest code', '200'],
    ['the highest code', '499'],
    ['a list', '200,202'],
    ['a list with a 4xx code', '200,401'],
    ['a range ending at 399', '200-399'],
    ['a range of one code', '200-200'],
  ])('%s (%s) is accepted', (_, matcher) => {
    expectValid({ 'targetGroup.healthCheck.matcher': matcher });
  });

  test.each([
    ['a code below 200', '199'],
    ['a code above 499', '500'],
    ['a code written as a decimal', '200.0'],
    ['a code with a space before it', ' 200'],
    ['a code with a space after it', '200 '],
    ['a list with a space after the comma', '200, 202'],
    ['a list with one code out of range', '200,600'],
    ['a range into 4xx', '200-400'],
    ['a range backwards', '299-200'],
    ['a range with a four-digit start', '1200-299'],
    ['a range with a four-digit end', '200-2999'],
  ])('%s (%j) is refused', (_, matcher) => {
    expectOnlyError({ 'targetGroup.healthCheck.matcher': matcher }, 'targetGroup.healthCheck.matcher', MESSAGE, matcher);
  });
});

describe('dnsRecord: set identifier and DNS names at their lengths', () => {
  test.each([
    ['1 character', 'a'],
    ['128 characters', 'x'.repeat(128)],
  ])('a set identifier of %s is accepted', (_, value) => {
    expectValid({ 'dnsRecord.setIdentifier': value });
  });

  test.each([
    ['no characters', ''],
    ['129 characters', 'x'.repeat(129)],
  ])('a set identifier of %s is refused', (_, value) => {
    expectOnlyError({ 'dnsRecord.setIdentifier': value }, 'dnsRecord.setIdentifier', 'must be 1–128 characters', value);
  });

  // Four labels of 63 letters and three dots: 255 characters; five labels (63, 63, 63, 61, 2) and four dots: 256.
  const NAME_255 = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(63)].join('.');
  const NAME_256 = ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(61), 'ee'].join('.');
  const TARGET_RULE = 'must be a DNS name like prod-alb-123456789.ap-northeast-1.elb.amazonaws.com';

  test('a target of exactly 255 characters is accepted', () => {
    expect([NAME_255.length, NAME_256.length]).toEqual([255, 256]);
    expectValid({ 'dnsRecord.target': NAME_255 });
  });

  test.each([
    ['256 characters, every label valid', NAME_256],
    ['a label starting with "-"', '-prod-alb.ap-northeast-1.elb.amazonaws.com'],
  ])('a target of %s is refused', (_, value) => {
    expectOnlyError({ 'dnsRecord.target': value }, 'dnsRecord.target', TARGET_RULE, value);
  });
});

describe('ecrLifecycle.repository: 2–256 characters of an ECR repository name', () => {
  const MESSAGE = 'must be 2–256 lowercase letters, digits and . _ - / (ECR repository name)';
  // Without a pipeline, the image need not be the repository's.
  const repository = (name: string) => ({ pipeline: undefined, 'ecrLifecycle.repository': name });

  test.each([
    ['2 characters', 'ab'],
    ['256 characters', 'a'.repeat(256)],
  ])('a name of %s is accepted', (_, name) => {
    expectValid(repository(name));
  });

  test.each([
    ['1 character', 'a'],
    ['257 characters', 'a'.repeat(257)],
    ['upper-case letters', 'Stg-Server'],
  ])('a name of %s is refused', (_, name) => {
    expectOnlyError(repository(name), 'ecrLifecycle.repository', MESSAGE, name);
  });
});

describe('taskDefinition.container.image: at most 255 characters', () => {
  // <account>.dkr.ecr.<region>.amazonaws.com/ is 50 characters, ":stg" 4: the repository takes the rest.
  const REGISTRY = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com';
  const image = (repositoryLength: number) => {
    const repository = 'a'.repeat(repositoryLength);
    return { 'taskDefinition.container.image': `${REGISTRY}/${repository}:stg`, 'ecrLifecycle.repository': repository };
  };

  test('an image of exactly 255 characters is accepted', () => {
    expect(image(201)['taskDefinition.container.image']).toHaveLength(255);
    expectValid(image(201));
  });

  test('an image of 256 characters is refused', () => {
    const set = image(202);
    expectOnlyError(
      set,
      'taskDefinition.container.image',
      'must be an image reference of at most 255 characters, like <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>',
      set['taskDefinition.container.image'],
    );
  });
});

describe('a secret field holding something other than a string', () => {
  test('a list holding an ARN is not a reference: it is described, never printed', () => {
    // GIVEN the secret's ARN written inside a list ('["arn:…"]', 85 characters as JSON)
    const value = ['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:prod/db-password-AbCdEf'];
    // WHEN
    const { file, report } = checked({ 'taskDefinition.container.secrets.DB_PASSWORD': value });
    // THEN
    expect(report.errors).toEqual([`${file}: taskDefinition.container.secrets.DB_PASSWORD: must be a string (got a plain value, 85 characters, not shown)`]);
  });

  test('a list holding an SSM parameter name is described too', () => {
    const { file, report } = checked({ 'taskDefinition.container.secrets.DB_PASSWORD': ['/prod/db'] });
    expect(report.errors).toEqual([`${file}: taskDefinition.container.secrets.DB_PASSWORD: must be a string (got a plain value, 12 characters, not shown)`]);
  });
});
