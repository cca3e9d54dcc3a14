import { TerraformOutput } from 'cdktf';
import { SecretValue } from '../../src/constructs/secret-value';
import { synthScope } from '../support/synth';

const SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:stg/access-header-AbCdEf';
const PARAMETER_ARN = 'arn:aws:ssm:ap-northeast-1:123456789012:parameter/stg/oidc-client-secret';

/** Synthesizes one SecretValue and exposes its value as a (sensitive) output, to see what the value resolves to. */
function synthSecret(reference: string, address: string) {
  const synth = synthScope((scope) => {
    const secret = new SecretValue(scope, 'Secret', { reference, address });
    new TerraformOutput(scope, 'value', { value: secret.value, sensitive: true });
  });
  const parsed = JSON.parse(synth.json) as { data?: Record<string, Record<string, Record<string, unknown>>>; output?: Record<string, { value: unknown }> };
  return { synth, data: parsed.data ?? {}, value: parsed.output?.value.value };
}

/** Every string anywhere in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => [key, ...strings(inner)]);
  return [];
}

describe('SecretValue', () => {
  test('a Secrets Manager ARN is read by a secret version data source', () => {
    // WHEN
    const { synth, data, value } = synthSecret(SECRET_ARN, 'access_header');
    // THEN exactly one data source, at the given address, and no managed resource
    expect(data).toEqual({ aws_secretsmanager_secret_version: { access_header: { secret_id: SECRET_ARN } } });
    expect(synth.addresses()).toEqual([]);
    // and the value is a reference to it
    expect(value).toBe('${data.aws_secretsmanager_secret_version.access_header.secret_string}');
  });

  test.each([
    ['an SSM parameter name', '/stg/oidc-client-secret'],
    ['an SSM parameter ARN', PARAMETER_ARN],
  ])('%s is read by an SSM parameter data source, decrypted', (_kind, reference) => {
    // WHEN
    const { synth, data, value } = synthSecret(reference, 'oidc_client');
    // THEN
    expect(data).toEqual({ aws_ssm_parameter: { oidc_client: { name: reference, with_decryption: true } } });
    expect(synth.addresses()).toEqual([]);
    expect(value).toBe('${data.aws_ssm_parameter.oidc_client.value}');
  });

  test.each([
    ['Secrets Manager', SECRET_ARN, 'access_header'],
    ['SSM', PARAMETER_ARN, 'oidc_client'],
  ])('the %s secret itself never appears in the synthesized JSON', (_kind, reference, address) => {
    // WHEN
    const { synth } = synthSecret(reference, address);
    // THEN every string in the JSON is the reference, the address, a Terraform key or a `${…}` reference:
    // nothing that could be the secret's plain value
    const known = new Set([reference, address, 'data', 'output', 'value', 'sensitive', 'secret_id', 'name', 'with_decryption', 'aws_secretsmanager_secret_version', 'aws_ssm_parameter']);
    const unexplained = strings(JSON.parse(synth.json)).filter((s) => !known.has(s) && !/^\$\{data\.[a-z_]+\.[a-z_]+\.(secret_string|value)\}$/.test(s));
    expect(unexplained).toEqual([]);
    expect(synth.json).not.toMatch(/secret_string"\s*:|"value"\s*:\s*"(?!\$\{)/);
  });
});
