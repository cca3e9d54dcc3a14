import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { databaseGrantsSql } from '../src/policy/database-grants';
import { fixtureJson, setPath, snapshot, tempProject } from './support/environments';
import { PROJECT_ROOT } from './support/paths';

const CLUSTER = { engine: 'aurora-postgresql', clusterIdentifier: 'prod-db', databaseName: 'app', user: 'staging_reader', iamAuth: true };

/** `npm run db-grants -- <args>` in a project holding these environment files. */
function dbGrants(files: Record<string, unknown>, args: string[]) {
  const project = tempProject(files);
  const run = spawnSync(process.execPath, ['-r', path.join(PROJECT_ROOT, 'scripts/register-ts.js'), path.join(PROJECT_ROOT, 'scripts/db-grants.ts'), ...args], {
    cwd: project.root,
    encoding: 'utf8',
    env: { ...process.env, STAGING_ENVIRONMENTS_DIR: project.environmentsDir },
  });
  return { ...run, project };
}

const withDatabase = (database: unknown) => setPath(fixtureJson('stg'), 'service.database', database);

describe('npm run db-grants', () => {
  test("prints the file's read-only grants on stdout, and nothing else anywhere", () => {
    // GIVEN a stack whose file names an Aurora PostgreSQL cluster and an IAM user
    // WHEN
    const run = dbGrants({ stg: withDatabase(CLUSTER) }, ['stg']);
    // THEN: exactly the SQL for that user, no other output, no file written
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(databaseGrantsSql({ engine: 'aurora-postgresql', databaseName: 'app', user: 'staging_reader', iamAuth: true, access: 'read-only' }));
    expect(run.stdout).toContain('GRANT rds_iam TO "staging_reader";');
    expect(Object.keys(snapshot(run.project.root)).filter((file) => !file.startsWith('environments'))).toEqual([]);
  });

  test('takes the schemas and a MySQL engine from the file', () => {
    const pg = dbGrants({ stg: withDatabase({ ...CLUSTER, schemas: ['app', 'audit'] }) }, ['stg']);
    expect(pg.stdout).toContain('GRANT USAGE ON SCHEMA "audit" TO "staging_reader";');
    const mysql = dbGrants({ stg: withDatabase({ ...CLUSTER, engine: 'aurora-mysql' }) }, ['stg']);
    expect(mysql.stdout).toContain("IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'");
    expect(mysql.stdout).toContain('GRANT SELECT ON `app`.* TO');
  });

  test("a preview's grants are its staging stack's: it connects as staging does", () => {
    const staging = dbGrants({ stg: withDatabase(CLUSTER) }, ['stg']);
    const preview = dbGrants({ stg: withDatabase(CLUSTER) }, ['stg-pr-12']);
    expect(preview.status).toBe(0);
    expect(preview.stdout).toBe(staging.stdout);
  });

  test.each([
    ['no database', fixtureJson('stg'), 'stg', /^error: .*stg\.json: service\.database: stg names no production database/],
    ['only the network path', withDatabase({ securityGroupId: 'sg-00112233445566778', port: 5432 }), 'stg', /^error: .*stg\.json: service\.database: gives only securityGroupId and port; add engine/],
    ['an unknown stack', withDatabase(CLUSTER), 'prod', /^error: no stack "prod"; the stacks of .* are: stg$/],
    ['no stack named', withDatabase(CLUSTER), undefined, /^error: usage: npm run db-grants -- <stack>/],
  ])('%s: one line on stderr, nothing on stdout, exit 1', (_case, file, stack, message) => {
    const run = dbGrants({ stg: file }, stack === undefined ? [] : [stack]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  });
});
