import * as path from 'node:path';
import { consentLines, consentOf } from '../src/environment/consent';
import { loadEnvironmentFile } from '../src/environment/load';
import { EnvironmentConfig } from '../src/environment/schema';
import { stackHcl } from '../src/review';
import { fixtureJson, setPath, tempProject } from './support/environments';
import { fixtureConfig } from './support/synth';

const NO_SCHEMAS = { providers: [] } as never;

function configOf(json: Record<string, unknown>): EnvironmentConfig {
  const project = tempProject({ env: json });
  const loaded = loadEnvironmentFile(path.join(project.environmentsDir, 'env.json'));
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.environment.config;
}

describe('consent, read once', () => {
  test('a restricted file with one suppression consents to that suppression alone', () => {
    // GIVEN the stg fixture (an allowlist, and a suppression of STG-PublicIp)
    const consent = consentOf(fixtureConfig('stg'));
    // THEN
    expect(consent).toMatchObject({ publicEndpoint: false, wildcardHost: false });
    expect(consentLines(consent)).toEqual([expect.stringMatching(/^guardrails\.suppress: STG-PublicIp on aws_ecs_service\.stg_server: Public subnets without a NAT gateway/)]);
  });

  test('access.public is the public consent, and is listed first', () => {
    const config = configOf(setPath(fixtureJson('stg'), 'listenerRule.access', { public: true }));
    expect(consentOf(config).publicEndpoint).toBe(true);
    expect(consentLines(consentOf(config))[0]).toBe('listenerRule.access.public: the endpoint is open to everyone');
  });

  test('allowWildcardHost is the wildcard consent', () => {
    const json = setPath(setPath(fixtureJson('stg'), 'listenerRule.hostHeader', 'stg-*.example.com'), 'listenerRule.allowWildcardHost', true);
    expect(consentOf(configOf(setPath(json, 'dnsRecord.name', 'stg-a.example.com'))).wildcardHost).toBe(true);
  });

  test('the review HCL names the consents in its header, as comments, and names none when there are none', () => {
    // WHEN
    const withConsents = stackHcl('docs', { resource: {} }, NO_SCHEMAS, ['listenerRule.access.public: the endpoint is open to everyone']);
    const without = stackHcl('docs', { resource: {} }, NO_SCHEMAS);
    // THEN
    expect(withConsents).toContain('# The environment file consents to (synth warns of each on every run):\n# - listenerRule.access.public: the endpoint is open to everyone\n');
    expect(without).not.toContain('consents to');
  });

  test('read-write with allowProductionWrites is the production-writes consent, listed before every other', () => {
    // GIVEN a file that writes production data, by consent, and is public too (previews off: they never write)
    let json = setPath(fixtureJson('stg'), 'service.database', {
      engine: 'aurora-postgresql', clusterIdentifier: 'prod-db', databaseName: 'app', user: 'staging_writer', iamAuth: true, access: 'read-write', allowProductionWrites: true,
    });
    json = setPath(setPath(json, 'listenerRule.access', { public: true }), 'previews', undefined);
    // WHEN
    const consent = consentOf(configOf(json));
    // THEN
    expect(consent.productionWrites).toBe(true);
    expect(consentLines(consent).slice(0, 2)).toEqual([
      'service.database.allowProductionWrites: staging WRITES PRODUCTION DATA (access "read-write")',
      'listenerRule.access.public: the endpoint is open to everyone',
    ]);
  });

  test('read-only access consents to no writes', () => {
    const json = setPath(fixtureJson('stg'), 'service.database', { engine: 'postgres', instanceIdentifier: 'prod-db', databaseName: 'app', user: 'staging_reader', iamAuth: true });
    expect(consentOf(configOf(json)).productionWrites).toBe(false);
  });

  test('the review HCL says the production writes in its first lines', () => {
    // WHEN
    const hcl = stackHcl('stg', { resource: {} }, NO_SCHEMAS, ['service.database.allowProductionWrites: staging WRITES PRODUCTION DATA (access "read-write")']);
    // THEN: the second and third lines, right under the stack's name
    expect(hcl.split('\n').slice(1, 3)).toEqual([
      '# The environment file consents to (synth warns of each on every run):',
      '# - service.database.allowProductionWrites: staging WRITES PRODUCTION DATA (access "read-write")',
    ]);
  });
});
