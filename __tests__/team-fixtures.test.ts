import * as fs from 'node:fs';
import * as path from 'node:path';
import { awsLocation } from '../src/environment/rules/account-region';
import { loadEnvironments } from '../src/environment/load';
import { EnvironmentConfig } from '../src/environment/schema';
import { stringsIn } from '../src/environment/strings';
import { PROJECT_ROOT, TEAM_FIXTURES_DIR } from './support/paths';

/**
 * The CI guard's files (__tests__/fixtures/team): `.ci/run` runs the suite a second time with them in
 * environments/. They stand for a team's first afternoon, so they must stay unlike the examples.
 */
const loaded = loadEnvironments(TEAM_FIXTURES_DIR);
const configs: { name: string; config: EnvironmentConfig }[] = loaded.ok ? loaded.environments.map(({ name, config }) => ({ name, config })) : [];
const accountsOf = (config: EnvironmentConfig) => new Set(stringsIn(config).flatMap(({ value }) => awsLocation(value)?.account ?? []));
const EXAMPLE_ACCOUNT = '123456789012';

describe('the team-like fixtures of the CI guard', () => {
  test('pass every check together, as one environments/ directory', () => {
    expect(loaded).toMatchObject({ ok: true });
    expect(configs.length).toBeGreaterThanOrEqual(3);
  });

  test('are in accounts and regions of their own: none the examples’, and not all in one', () => {
    const accounts = configs.map(({ config }) => [...accountsOf(config)]);
    expect(accounts.flat()).not.toContain(EXAMPLE_ACCOUNT);
    expect(new Set(accounts.flat()).size).toBeGreaterThanOrEqual(2);
    expect(new Set(configs.map(({ config }) => config.region)).size).toBe(configs.length);
  });

  test('cover a first afternoon: previews with working hours and Spot; lookups; a public endpoint; a file without $schema', () => {
    const names = (predicate: (config: EnvironmentConfig) => boolean) => configs.filter(({ config }) => predicate(config)).map(({ name }) => name);
    expect(names((c) => c.previews !== undefined && c.service.schedule !== undefined && c.service.capacity !== 'FARGATE')).not.toEqual([]);
    expect(names((c) => c.listenerRule.loadBalancer !== undefined && c.dnsRecord.zoneName !== undefined && c.service.subnetTags !== undefined)).not.toEqual([]);
    expect(names((c) => c.listenerRule.access.public === true)).not.toEqual([]);
    const raw = fs.readdirSync(TEAM_FIXTURES_DIR).map((file) => JSON.parse(fs.readFileSync(path.join(TEAM_FIXTURES_DIR, file), 'utf8')));
    expect(raw.filter((file) => file.$schema === undefined)).not.toEqual([]);
  });

  test('cover production data: a file naming an Aurora cluster, so the suite’s lookups and terraform test see a database', () => {
    const named = configs.filter(({ config }) => config.service.database?.clusterIdentifier !== undefined);
    expect(named.map(({ name }) => name)).not.toEqual([]);
  });

  test('are what .ci/run puts in environments/ for its second npm test', () => {
    const ci = fs.readFileSync(path.join(PROJECT_ROOT, '.ci', 'run'), 'utf8');
    const guard = fs.readFileSync(path.join(PROJECT_ROOT, 'scripts', 'test-with-team-files.sh'), 'utf8');
    expect(ci.trim().split('\n').slice(-3)).toEqual(['npm ci', 'npm test', 'bash scripts/test-with-team-files.sh']);
    expect(guard).toContain('__tests__/fixtures/team');
    expect(guard.trim().split('\n').pop()).toBe('npm test');
  });
});
