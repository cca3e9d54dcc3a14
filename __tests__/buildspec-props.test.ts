import { environmentSchema } from '../src/environment/schema';
import { isSmokeSkip, SmokeTest, smokeTestProblems } from '../src/pipeline/deploy-check';
import { repositoryArnOf, repositoryUrlOf, smokeTestFor } from '../src/stack/buildspec-props';
import { fixtureJson } from './support/environments';

describe('repositoryArnOf: the ECR repository ARN the build role may push to', () => {
  test.each([
    ['a standard region', '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server', 'arn:aws:ecr:ap-northeast-1:123456789012:repository/stg-server'],
    ['a China region (.amazonaws.com.cn)', '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/stg-server', 'arn:aws-cn:ecr:cn-north-1:123456789012:repository/stg-server'],
    ['GovCloud', '123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/stg-server', 'arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/stg-server'],
    ['a namespaced repository', '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/team/stg-server', 'arn:aws:ecr:ap-northeast-1:123456789012:repository/team/stg-server'],
  ])('%s', (_, url, arn) => {
    // GIVEN a repository URL
    // WHEN
    const result = repositoryArnOf(url);
    // THEN the partition, region, account and name come from the URL
    expect(result).toBe(arn);
  });

  test.each([
    ['Docker Hub', 'docker.io/library/golang'],
    ['GitHub Container Registry', 'ghcr.io/example/stg-server'],
    ['ECR Public', 'public.ecr.aws/example/stg-server'],
    ['an account ID that is not 12 digits', '12345.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server'],
  ])('%s: not ECR, throws', (_, url) => {
    // WHEN / THEN
    expect(() => repositoryArnOf(url)).toThrow(`not an ECR repository URL: ${url}`);
  });

  test('an image with a tag and a digest gives the repository, via repositoryUrlOf', () => {
    // GIVEN the task's image, tagged and pinned
    const image = `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server:stg@sha256:${'a'.repeat(64)}`;
    // WHEN
    const arn = repositoryArnOf(repositoryUrlOf(image, 'environments/stg.json'));
    // THEN
    expect(arn).toBe('arn:aws:ecr:ap-northeast-1:123456789012:repository/stg-server');
  });

  test('an image left to the plan-time lookup: the buildspec cannot name it, and the error says where', () => {
    // WHEN / THEN
    expect(() => repositoryUrlOf(undefined, 'environments/stg.json')).toThrow(/^environments\/stg\.json: taskDefinition\.container\.image: the buildspec needs the image URL written out/);
    expect(() => repositoryUrlOf('${data.aws_ecr_repository.stg.repository_url}:stg', 'environments/stg.json')).toThrow(/needs the image URL written out/);
  });
});

describe('smokeTestFor: the deploy’s smoke test, from what the listener rule admits', () => {
  const HEADER_SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:stg/access-key-AbCdEf';
  const LISTENER = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef';
  /** The stg fixture with the rule's access (and optionally other rule fields) replaced. */
  const config = (access: Record<string, unknown>, rule: Record<string, unknown> = {}) => {
    const json = fixtureJson('stg');
    json.listenerRule = { ...json.listenerRule, ...rule, access };
    return environmentSchema.parse(json);
  };
  const skipOf = (smokeTest: SmokeTest) => (isSmokeSkip(smokeTest) ? smokeTest.skip : `no skip: ${JSON.stringify(smokeTest)}`);

  test('a public rule: GET https://<host><health check path>, no header', () => {
    // WHEN
    const smokeTest = smokeTestFor(config({ public: true }));
    // THEN
    expect(smokeTest).toEqual({ url: 'https://stg-api.example.com/healthcheck' });
  });

  test('a header condition: the header’s name, and the reference its value is read from (never the value)', () => {
    // WHEN
    const smokeTest = smokeTestFor(config({ httpHeader: { name: 'X-Staging-Key', valueFrom: HEADER_SECRET } }));
    // THEN
    expect(smokeTest).toEqual({ url: 'https://stg-api.example.com/healthcheck', header: { name: 'X-Staging-Key', valueFrom: HEADER_SECRET } });
  });

  test('the previews’ build: {host} in place of the host, for each preview’s own', () => {
    // WHEN
    const smokeTest = smokeTestFor(config({ public: true }), '{host}');
    // THEN
    expect(smokeTest).toEqual({ url: 'https://{host}/healthcheck' });
  });

  test.each([
    ['a listener looked up on port 80: http', 80, 'http://stg-api.example.com/healthcheck'],
    ['on 443: https', 443, 'https://stg-api.example.com/healthcheck'],
    ['on another port: https on that port', 8443, 'https://stg-api.example.com:8443/healthcheck'],
  ])('%s', (_, listenerPort, url) => {
    // GIVEN the listener by lookup instead of ARN
    const rule = { listenerArn: undefined, loadBalancer: { name: 'prod-alb', listenerPort } };
    // WHEN
    const smokeTest = smokeTestFor(config({ public: true }, rule));
    // THEN
    expect(smokeTest).toEqual({ url });
  });

  test('a source-IP allowlist: skipped, saying the build’s egress address would have to be in it (alone or beside a header)', () => {
    // WHEN
    const alone = skipOf(smokeTestFor(config({ sourceIps: ['203.0.113.0/24'] })));
    const withHeader = skipOf(smokeTestFor(config({ sourceIps: ['203.0.113.0/24'], httpHeader: { name: 'X-Staging-Key', valueFrom: HEADER_SECRET } })));
    // THEN
    expect(alone).toMatch(/^smoke test skipped: listenerRule\.access\.sourceIps admits only its CIDRs, and the smoke test needs the build's egress address among them, but this build runs in no VPC/);
    expect(alone).toMatch(/; the rollout itself was still checked$/);
    expect(withHeader).toContain('(the header alone does not pass: the rule wants both)');
  });

  test.each([
    ['an OIDC login', { oidc: { issuer: 'https://idp.example.com', authorizationEndpoint: 'https://idp.example.com/auth', tokenEndpoint: 'https://idp.example.com/token', userInfoEndpoint: 'https://idp.example.com/userinfo', clientId: 'stg', clientSecretFrom: HEADER_SECRET } }, {}, 'listenerRule.access.oidc sends every caller to a login first'],
    ['a host pattern', { public: true }, { hostHeader: '*.stg.example.com', allowWildcardHost: true }, 'is a pattern, not one host to call'],
  ])('%s: skipped, saying why', (_, access, rule, why) => {
    // WHEN
    const skip = skipOf(smokeTestFor(config(access, rule)));
    // THEN
    expect(skip).toContain(why);
    expect(skip).not.toMatch(/[$%]\{/);
    expect(smokeTestProblems({ skip })).toEqual([]);
  });

  test('the listener given by ARN is taken to be HTTPS on 443', () => {
    // WHEN
    const smokeTest = smokeTestFor(config({ public: true }, { listenerArn: LISTENER }));
    // THEN
    expect(smokeTest).toEqual({ url: 'https://stg-api.example.com/healthcheck' });
  });
});
