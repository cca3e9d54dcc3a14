import { findingsFromIssues, formatError } from '../../src/environment/errors';
import { environmentSchema } from '../../src/environment/schema';
import { fixtureJson, setPath } from '../support/environments';

const FILE = 'environments/stg.json';
const TOKEN = 'ghp_FAKE0123456789abcdefghijklmnopqrstuv';

/** The error lines zod's issues give for the stg fixture with changes. */
function shapeErrors(set: Record<string, unknown>): string[] {
  const config = fixtureJson('stg');
  for (const [dotted, value] of Object.entries(set)) setPath(config, dotted, value);
  const result = environmentSchema.safeParse(config, { reportInput: true });
  return result.success ? [] : findingsFromIssues(result.error.issues).map((finding) => formatError(FILE, finding));
}

describe('secrets are never echoed in errors', () => {
  test.each([
    ['taskDefinition.container.secrets.DB_PASSWORD', 'hunter2'],
    ['pipeline.tokenSecretArn', TOKEN],
    ['pipeline.dockerHubSecretArn', 'dckr_pat_FAKE1234'],
    ['listenerRule.access.httpHeader', { name: 'X-Staging-Key', valueFrom: 'let-me-in' }],
  ])('a plain value at %s, from a zod issue, is described by its length', (field, value) => {
    // GIVEN / WHEN
    const errors = shapeErrors({ [field]: value });
    // THEN
    const secret = typeof value === 'string' ? value : value.valueFrom;
    expect(errors.join('\n')).not.toContain(secret);
    expect(errors.join('\n')).toContain(`(got a plain value, ${secret.length} characters, not shown)`);
  });

  test('a cross-field finding on a secret field is masked too: masking is by path, at formatting time', () => {
    // GIVEN a finding as a cross-field rule would report it
    const finding = { path: ['pipeline', 'tokenSecretArn'], message: 'must be a Secrets Manager secret ARN', value: TOKEN };
    // WHEN / THEN
    expect(formatError(FILE, finding)).toBe(`${FILE}: pipeline.tokenSecretArn: must be a Secrets Manager secret ARN (got a plain value, ${TOKEN.length} characters, not shown)`);
  });

  test('a rule’s own description of the value (got) does not get past the mask', () => {
    const finding = { path: ['taskDefinition', 'container', 'secrets', 'API_KEY'], message: 'm', value: 'sk_live_FAKE', got: '"sk_live_FAKE"' };
    expect(formatError(FILE, finding)).toBe(`${FILE}: taskDefinition.container.secrets.API_KEY: m (got a plain value, 12 characters, not shown)`);
  });

  test('references stay visible: ARNs, SSM parameter names and Terraform references', () => {
    for (const value of ['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:x', '/stg/github-token', '${var.token_secret_arn}']) {
      expect(formatError(FILE, { path: ['pipeline', 'tokenSecretArn'], message: 'm', value })).toBe(`${FILE}: pipeline.tokenSecretArn: m (got ${JSON.stringify(value)})`);
    }
  });

  test('a value holding secret fields is shown with those fields masked, the rest as is', () => {
    // GIVEN the whole access section as a rule reports it
    const value = { httpHeader: { name: 'X-Key', valueFrom: 'let-me-in' } };
    // WHEN
    const line = formatError(FILE, { path: ['listenerRule', 'access'], message: 'm', value });
    // THEN
    expect(line).not.toContain('let-me-in');
    expect(line).toContain('"name":"X-Key"');
    expect(line).toContain('"valueFrom":"<not shown, 9 characters>"');
  });

  test('a string written where a section of secrets belongs is masked; numbers in such a section are not', () => {
    expect(formatError(FILE, { path: ['taskDefinition', 'container', 'secrets'], message: 'must be an object', value: 'hunter2' })).toBe(
      `${FILE}: taskDefinition.container.secrets: must be an object (got a plain value, 7 characters, not shown)`,
    );
    expect(formatError(FILE, { path: ['listenerRule', 'access', 'oidc'], message: 'needs an HTTPS listener', value: 80 })).toBe(`${FILE}: listenerRule.access.oidc: needs an HTTPS listener (got 80)`);
  });

  test('fields that are not secret are shown: oidc.clientId, container.environment', () => {
    expect(formatError(FILE, { path: ['listenerRule', 'access', 'oidc', 'clientId'], message: 'm', value: 'stg-client' })).toBe(`${FILE}: listenerRule.access.oidc.clientId: m (got "stg-client")`);
    expect(formatError(FILE, { path: ['taskDefinition', 'container', 'environment', 'APP_ENV'], message: 'm', value: 'staging' })).toBe(`${FILE}: taskDefinition.container.environment.APP_ENV: m (got "staging")`);
  });

  test('one character is "1 character"', () => {
    expect(formatError(FILE, { path: ['pipeline', 'dockerHubSecretArn'], message: 'm', value: 'x' })).toContain('(got a plain value, 1 character, not shown)');
  });
});
