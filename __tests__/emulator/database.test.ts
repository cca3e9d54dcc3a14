import * as fs from 'node:fs';
import * as path from 'node:path';
import { AccountDump, describeWithEmulator, Emulator, ProductionAccount } from '../support/emulator';
import { forProductionAccount } from '../support/emulator/environments';
import { Scenario } from '../support/emulator/scenario';
import { EmulatorStack, ResourceDiff } from '../support/emulator/stack';
import { tempProject } from '../support/environments';
import { synthesizeFixtures } from '../support/stacks';

/**
 * `service.database` against the emulator's production databases (production_account.py): an Aurora
 * PostgreSQL cluster with a writer and a reader and IAM authentication, a cluster with only a writer,
 * and an RDS PostgreSQL instance. Each stack is synthesized from a file that names one of them, applied,
 * read back through the AWS API, planned again and destroyed, in an account of its own, all at once;
 * production, the databases included, is then exactly as before. Expected values come from what RDS
 * answered, not from the synthesized Terraform.
 */

const BASE = path.join('examples', 'preview.json');

interface Case {
  /** What the file's `service.database` says, from the account. */
  readonly database: (account: ProductionAccount) => Record<string, unknown>;
  /** The team's own task role (a production role), instead of the one the stack creates. */
  readonly teamTaskRole?: string;
  /** The plan must fail: the apply is never tried. */
  readonly planFails?: boolean;
}

const iamUser = (account: ProductionAccount) => ({ user: account.databases.stagingUser, iamAuth: true });
const CASES: Record<string, Case> = {
  'read-only on the Aurora cluster, IAM auth': {
    database: (account) => ({ engine: 'aurora-postgresql', clusterIdentifier: 'prod-aurora', databaseName: account.databases.databaseName, ...iamUser(account) }),
  },
  'reader on the Aurora cluster, IAM auth, the team’s task role': {
    database: (account) => ({ engine: 'aurora-postgresql', clusterIdentifier: 'prod-aurora', databaseName: account.databases.databaseName, ...iamUser(account), access: 'reader' }),
    teamTaskRole: 'stg-server-task',
  },
  'read-only on the RDS instance, a password in Secrets Manager': {
    database: (account) => ({
      engine: 'postgres',
      instanceIdentifier: account.databases.instance.identifier,
      databaseName: account.databases.databaseName,
      user: account.databases.stagingUser, passwordSecret: account.secrets[account.databases.passwordSecret],
    }),
  },
  'reader on the writer-only cluster': {
    database: (account) => ({ engine: 'aurora-postgresql', clusterIdentifier: 'prod-reports', databaseName: account.databases.databaseName, ...iamUser(account), access: 'reader' }),
    planFails: true,
  },
};

interface Results extends Record<string, unknown> {
  account: ProductionAccount;
  environment: Record<string, any>;
  applied: AccountDump;
  secondPlan: ResourceDiff[];
  /** The failed plan's output (planFails). */
  planError: string;
  production: { before: Record<string, any>; after: Record<string, any> };
}

/** The preview example, on the account, naming the case's database; lighter than the example (no working hours, no Spot). */
function environmentOf(account: ProductionAccount, testCase: Case): Record<string, any> {
  const environment = forProductionAccount(BASE, account);
  const { schedule: _schedule, capacity: _capacity, ...service } = environment.service;
  environment.service = { ...service, database: testCase.database(account) };
  // DB_PASSWORD is the kit's variable for the database's password now
  delete environment.taskDefinition.container.secrets;
  if (testCase.teamTaskRole) environment.taskDefinition.taskRoleArn = account.roles[testCase.teamTaskRole];
  return environment;
}

function runScenario(name: string, testCase: Case): Scenario<Results> {
  return Scenario.start<Results>(name, async (record) => {
    const emulator = await Emulator.start();
    let stack: EmulatorStack | undefined;
    let projectRoot: string | undefined;
    try {
      // GIVEN the production account, and a file naming one of its databases
      const account = await emulator.createProductionAccount();
      record('account', account);
      const environment = environmentOf(account, testCase);
      record('environment', environment);
      const project = tempProject({ stg: environment });
      projectRoot = project.root;
      const stackDir = synthesizeFixtures(project.environmentsDir).stg;
      const before = await emulator.snapshotProduction();
      stack = await EmulatorStack.create(stackDir, emulator.endpoint);
      // WHEN planned (the writer-only cluster: no further), applied, read back, planned again, destroyed
      if (testCase.planFails) {
        record('planError', await stack.plan().then(
          (diffs) => {
            throw new Error(`the plan succeeded: ${JSON.stringify(diffs)}`);
          },
          (error: Error) => error.message,
        ));
      } else {
        await stack.apply();
        record('applied', await emulator.dump());
        record('secondPlan', await stack.plan());
        await stack.destroy();
      }
      record('production', { before, after: await emulator.snapshotProduction() });
    } finally {
      await stack?.dispose();
      if (projectRoot) fs.rmSync(projectRoot, { recursive: true, force: true });
      await emulator.stop();
    }
  });
}

/** Every `rds-db:connect` resource in the inline policies of the roles named. */
function connectResources(applied: AccountDump, roles: string[]): string[] {
  return roles.flatMap((role) =>
    Object.values(applied.roles[role]?.inline ?? {}).flatMap((policy: any) =>
      [policy.Statement]
        .flat()
        .filter((statement: any) => [statement.Action].flat().includes('rds-db:connect'))
        .flatMap((statement: any) => [statement.Resource].flat()),
    ),
  );
}

/** The container's plain variables and secrets, in the family's latest revision. */
function containerOf(applied: AccountDump, environment: Record<string, any>): { variables: Record<string, string>; secrets: Record<string, string> } {
  const [container] = applied.latestTaskDefinitions[environment.taskDefinition.family].containerDefinitions;
  return {
    variables: Object.fromEntries((container.environment ?? []).map((variable: any) => [variable.name, variable.value])),
    secrets: Object.fromEntries((container.secrets ?? []).map((secret: any) => [secret.name, secret.valueFrom])),
  };
}

/** Only the ID of a security group reference: the emulator answers "<account>/sg-…" (gaps.ts). */
const groupId = (reference: string) => reference.split('/').at(-1);

// The first test of a scenario waits for its whole run.
jest.setTimeout(600000);

describeWithEmulator('the production database (service.database), against the AWS emulator', () => {
  const scenarios: Record<string, Scenario<Results>> = {};
  const started = Date.now();
  beforeAll(() => {
    for (const [name, testCase] of Object.entries(CASES)) scenarios[name] = runScenario(name, testCase);
  });
  afterAll(async () => {
    await Promise.all(Object.values(scenarios).map((scenario) => scenario.done));
    const summary = Object.values(scenarios).map((scenario) => `  ${scenario.name}: ${scenario.seconds.toFixed(0)} s (${scenario.timings.join(', ')})`);
    process.stdout.write(`database scenarios (${((Date.now() - started) / 1000).toFixed(0)} s wall), seconds per step:\n${summary.join('\n')}\n`);
  });

  test('the fixture: RDS answers the clusters as the stacks need them (members, reader endpoint, IAM auth, own groups, the master user)', async () => {
    const { before } = await scenarios['read-only on the Aurora cluster, IAM auth'].get('production');
    const account = await scenarios['read-only on the Aurora cluster, IAM auth'].get('account');
    const clusters = Object.fromEntries(before.databaseClusters.map((cluster: any) => [cluster.DBClusterIdentifier, cluster]));
    expect(Object.keys(clusters)).toEqual(['prod-aurora', 'prod-reports']);
    for (const [identifier, members] of [['prod-aurora', ['prod-aurora-writer', 'prod-aurora-reader']], ['prod-reports', ['prod-reports-writer']]] as const) {
      const fixture = account.databases.clusters[identifier];
      expect(clusters[identifier]).toMatchObject({
        Engine: 'aurora-postgresql',
        IAMDatabaseAuthenticationEnabled: true,
        MasterUsername: account.databases.masterUser,
        Endpoint: fixture.endpoint,
        ReaderEndpoint: fixture.readerEndpoint,
        DbClusterResourceId: fixture.resourceId,
        VpcSecurityGroups: [expect.objectContaining({ VpcSecurityGroupId: fixture.securityGroupId })],
      });
      expect(clusters[identifier].DBClusterMembers.map((member: any) => [member.DBInstanceIdentifier, member.IsClusterWriter])).toEqual(members.map((member, index) => [member, index === 0]));
    }
    expect(before.databaseInstances.map((instance: any) => instance.DBInstanceIdentifier)).toEqual(['prod-aurora-reader', 'prod-aurora-writer', 'prod-postgres', 'prod-reports-writer']);
  });

  describe.each(Object.keys(CASES).filter((name) => !CASES[name].planFails))('%s', (name) => {
    const get = <K extends keyof Results>(key: K) => scenarios[name].get(key);
    const databaseOf = async () => {
      const [environment, account] = await Promise.all([get('environment'), get('account')]);
      const database = environment.service.database;
      return { environment, account, database, cluster: database.clusterIdentifier && account.databases.clusters[database.clusterIdentifier as 'prod-aurora'] };
    };

    test('one ingress rule on the database’s group, on its port, from the tasks’ group, and nothing else on production’s groups', async () => {
      const [{ environment, account, cluster }, applied, { before }] = await Promise.all([databaseOf(), get('applied'), get('production')]);
      const group = cluster ? cluster.securityGroupId : account.databases.instance.securityGroupId;
      const port = cluster ? cluster.port : account.databases.instance.port;
      const service = applied.services.find((candidate) => candidate.serviceName === environment.service.name);
      const tasksGroups: string[] = service.networkConfiguration.awsvpcConfiguration.securityGroups;
      const productionGroups = new Set(before.securityGroups.map((candidate: any) => candidate.GroupId));
      const productionRules = new Set(before.securityGroupRules.map((rule: any) => rule.SecurityGroupRuleId));
      const added = applied.securityGroupRules.filter((rule) => productionGroups.has(rule.GroupId) && !productionRules.has(rule.SecurityGroupRuleId));
      expect(added.map((rule) => ({ group: rule.GroupId, egress: rule.IsEgress, protocol: rule.IpProtocol, from: rule.FromPort, to: rule.ToPort, source: groupId(rule.ReferencedGroupInfo?.GroupId ?? '') }))).toEqual([
        { group, egress: false, protocol: 'tcp', from: port, to: port, source: tasksGroups[0] },
      ]);
      expect(tasksGroups).toHaveLength(1);
    });

    test('IAM: the task role’s only rds-db:connect resource is dbuser:<DbClusterResourceId>/<user>; none with a password', async () => {
      const [{ environment, account, database, cluster }, applied, { before }] = await Promise.all([databaseOf(), get('applied'), get('production')]);
      const taskRole = environment.taskDefinition.taskRoleArn ? environment.taskDefinition.taskRoleArn.split('/').at(-1) : `${environment.taskDefinition.family}-task`;
      // every role in the account: no other gets a connect grant
      const everyRole = Object.keys(applied.roles);
      if (database.iamAuth) {
        const resourceId = before.databaseClusters.find((candidate: any) => candidate.DBClusterIdentifier === cluster.identifier).DbClusterResourceId;
        const expected = `arn:aws:rds-db:${account.region}:${account.accountId}:dbuser:${resourceId}/${database.user}`;
        expect(connectResources(applied, [taskRole])).toEqual([expected]);
        expect(connectResources(applied, everyRole)).toEqual([expected]);
      } else {
        expect(connectResources(applied, everyRole)).toEqual([]);
      }
    });

    test('the container connects to the writer endpoint (read-only) or the reader endpoint (reader), as RDS answers them, as the file’s user', async () => {
      const [{ environment, account, database, cluster }, applied, { before }] = await Promise.all([databaseOf(), get('applied'), get('production')]);
      const { variables, secrets } = containerOf(applied, environment);
      let host: string;
      if (cluster) {
        const answered = before.databaseClusters.find((candidate: any) => candidate.DBClusterIdentifier === cluster.identifier);
        host = database.access === 'reader' ? answered.ReaderEndpoint : answered.Endpoint;
        expect(host).toMatch(database.access === 'reader' ? /\.cluster-ro-/ : /\.cluster-(?!ro-)/);
      } else {
        host = before.databaseInstances.find((candidate: any) => candidate.DBInstanceIdentifier === database.instanceIdentifier).Endpoint.Address;
      }
      expect(variables).toMatchObject({ DB_HOST: host, DB_PORT: '5432', DB_NAME: account.databases.databaseName, DB_USER: database.user, DB_IAM_AUTH: String(database.iamAuth === true) });
      expect(secrets).toEqual(database.passwordSecret ? { DB_PASSWORD: database.passwordSecret } : {});
    });

    test('a second plan is empty, but for the emulator’s own differences (gaps.ts)', async () => {
      expect(await get('secondPlan')).toEqual([]);
    });

    test('after destroy, production is byte-identical: databases, their groups and rules, roles, listeners, zone', async () => {
      const { before, after } = await get('production');
      expect(JSON.stringify(after)).toBe(JSON.stringify(before));
    });
  });

  describe('reader on the writer-only cluster', () => {
    const get = <K extends keyof Results>(key: K) => scenarios['reader on the writer-only cluster'].get(key);

    test('the plan fails with the reader check’s message, naming the cluster', async () => {
      const message = await get('planError');
      expect(message).toMatch(/Resource postcondition failed/);
      expect(message).toContain('service.database.access: \\"reader\\": cluster prod-reports has no reader instance');
    });

    test('production is byte-identical afterwards', async () => {
      const { before, after } = await get('production');
      expect(JSON.stringify(after)).toBe(JSON.stringify(before));
    });
  });
});
