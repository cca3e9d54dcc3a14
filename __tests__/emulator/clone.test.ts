import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ADDRESS } from '../../src/kit/defaults';
import { synthesize } from '../../src/synth/synth';
import { AccountDump, describeWithEmulator, Emulator, ProductionAccount, pythonFacts } from '../support/emulator';
import { forProductionAccount } from '../support/emulator/environments';
import { CLONE_GAPS } from '../support/emulator/gaps';
import { Scenario } from '../support/emulator/scenario';
import { EmulatorStack, ResourceDiff } from '../support/emulator/stack';
import { tempProject } from '../support/environments';

/**
 * Clone mode (issue 27) against the emulator's production account (production_account.py): staging's
 * copy-on-write clone of the Aurora PostgreSQL cluster prod-aurora, masked, with working hours, and
 * the clone of its pull request preview 7; and an unmasked clone the file consents to. Each stack is
 * applied, read back through the AWS API, planned again and destroyed, in an account of its own, all
 * at once; production, the databases included, is then exactly as before. Expected values come from
 * what the AWS API answered, not from the synthesized Terraform (the restore's type, which RDS here
 * ignores, from the state: gaps.ts, DATABASE_GAPS).
 *
 * Wall time is the provider's own waits, not CPU: each RDS waiter of provider 5.100.0 sleeps 30 s
 * before its first look (StateChangeConf Delay, whatever the emulator answers, and it answers the final
 * status at once), so a clone's cluster takes 60 s to create (after the restore, and after the master
 * password's modify), its instance 30 s, and each destroy 60 s (instance, then cluster). The preview
 * reads staging's state, but only its outputs, none of which is the clone: so the masked case applies
 * what staging's outputs name first (~13 s, 10 of them the ECS cluster's own wait), then the rest of staging
 * beside the whole preview; it destroys the preview beside staging's clone and records (none of which
 * the preview uses), then the rest of staging. The unmasked case runs beside it, in its own account.
 */

const STAGE = 'stg';
const PREVIEW = 7;
const HOURS = { timezone: 'Asia/Tokyo', wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)' };
const CLONE_READBACK = path.join(__dirname, '..', 'support', 'emulator', 'clone_account.py');

interface Case {
  /** The example the file starts from. */
  readonly base: string;
  /** What the file's `service.database` says, from the account. */
  readonly database: (account: ProductionAccount) => Record<string, unknown>;
  /** Working hours on the service. */
  readonly schedule?: boolean;
  /** The preview of this pull request, with `previews.database.access: "clone"`, applied after staging. */
  readonly preview?: number;
}

const CASES: Record<string, Case> = {
  'a masked clone of prod-aurora, with working hours, and PR 7’s own clone': {
    base: path.join('examples', 'stg.json'),
    database: (account) => ({ engine: 'aurora-postgresql', clusterIdentifier: 'prod-aurora', databaseName: account.databases.databaseName, access: 'clone', clone: { mask: 'db/mask.sql' } }),
    schedule: true,
    preview: PREVIEW,
  },
  'an unmasked clone of prod-aurora, with the file’s consent': {
    base: path.join('examples', 'preview.json'),
    database: (account) => ({ engine: 'aurora-postgresql', clusterIdentifier: 'prod-aurora', databaseName: account.databases.databaseName, access: 'clone', allowUnmaskedProductionData: true }),
  },
};

/** clone_account.py's answer: what the AWS APIs say of RDS, secrets, groups, CodeBuild, EventBridge and Scheduler. */
interface Readback {
  readonly clusters: any[];
  readonly instances: any[];
  readonly subnetGroups: any[];
  readonly clusterSnapshots: any[];
  readonly instanceEvents: any[];
  readonly secrets: any[];
  readonly securityGroups: any[];
  readonly securityGroupRules: any[];
  readonly projects: any[];
  readonly builds: Record<string, string[]>;
  readonly rules: any[];
  readonly targets: Record<string, any[]>;
  readonly schedules: any[];
}

/** A stack's Terraform state as `terraform show -json` gives it: address → the resource's values. */
type State = Record<string, Record<string, any>>;

/** What one stack (staging, or the preview) is, and what the account answered about it after its apply. */
interface Applied {
  /** The clone's cluster identifier, as the docs derive it. */
  readonly clone: string;
  readonly family: string;
  readonly service: string;
  readonly dump: AccountDump;
  readonly readback: Readback;
  readonly state: State;
}

interface Results extends Record<string, unknown> {
  account: ProductionAccount;
  environment: Record<string, any>;
  /** After staging's apply. */
  staging: Applied;
  /** Staging's plan after its apply (with a preview, once the preview is applied too). */
  secondPlan: ResourceDiff[];
  /** After the preview's apply (a case with `preview`). */
  preview: Applied;
  previewSecondPlan: ResourceDiff[];
  /** Staging's plan once the preview is applied. */
  stagingPlanWithPreview: ResourceDiff[];
  /** Both destroys' output. */
  destroyOutput: string;
  /** What the account holds once everything is destroyed. */
  destroyed: Readback;
  production: { before: Record<string, any>; after: Record<string, any> };
}

/** The case's file: the example on the account, naming prod-aurora as the case says; no other database password. */
function environmentOf(account: ProductionAccount, testCase: Case): Record<string, any> {
  const environment = forProductionAccount(testCase.base, account);
  const { schedule: _schedule, capacity: _capacity, ...service } = environment.service;
  environment.service = { ...service, database: testCase.database(account), ...(testCase.schedule && { schedule: HOURS }) };
  // DB_PASSWORD is the clone's master secret now
  delete environment.taskDefinition.container.secrets;
  if (testCase.preview) {
    // previews read staging's state: it lives on the emulator's S3
    environment.backend = { bucket: account.stateBucket };
    environment.previews = { ...environment.previews, database: { access: 'clone' } };
  } else {
    delete environment.previews;
  }
  return environment;
}

/** `terraform show -json` of a working copy: each managed resource's values by address. */
async function stateOf(stack: EmulatorStack): Promise<State> {
  const shown = JSON.parse(await stack.workdir.runAsync('show', '-json', '-no-color'));
  return Object.fromEntries((shown.values?.root_module?.resources ?? []).filter((resource: any) => resource.mode === 'managed').map((resource: any) => [resource.address, resource.values]));
}

/** The clone as RDS answers it, with its instances, subnet group, security group (and its rules) and master secret. */
function cloneIn(readback: Readback, identifier: string) {
  const cluster = readback.clusters.find((candidate) => candidate.DBClusterIdentifier === identifier);
  if (!cluster) throw new Error(`no cluster ${identifier} in ${readback.clusters.map((candidate) => candidate.DBClusterIdentifier).join(', ')}`);
  const groupIds: string[] = cluster.VpcSecurityGroups.map((group: any) => group.VpcSecurityGroupId);
  return {
    cluster,
    instances: readback.instances.filter((instance) => instance.DBClusterIdentifier === identifier),
    subnetGroup: readback.subnetGroups.find((group) => group.DBSubnetGroupName === cluster.DBSubnetGroup),
    groups: readback.securityGroups.filter((group) => groupIds.includes(group.GroupId)),
    rules: readback.securityGroupRules.filter((rule) => groupIds.includes(rule.GroupId)),
    secret: readback.secrets.find((secret) => secret.ARN === cluster.MasterUserSecret?.SecretArn),
  };
}

/** A rule as the tests compare it: direction, protocol, ports, and the group it names. */
const ruleOf = (rule: any) => ({ egress: rule.IsEgress, protocol: rule.IpProtocol, from: rule.FromPort, to: rule.ToPort, group: groupId(rule.ReferencedGroupInfo?.GroupId ?? ''), cidr: rule.CidrIpv4 });

/** Only the ID of a security group reference: the emulator answers "<account>/sg-…" for some (gaps.ts). */
const groupId = (reference: string) => reference.split('/').at(-1);

/** The container's plain variables and secrets, in the family's latest revision. */
function containerOf(dump: AccountDump, family: string): { variables: Record<string, string>; secrets: Record<string, string>; executionRole: string } {
  const definition = dump.latestTaskDefinitions[family];
  const [container] = definition.containerDefinitions;
  return {
    variables: Object.fromEntries((container.environment ?? []).map((variable: any) => [variable.name, variable.value])),
    secrets: Object.fromEntries((container.secrets ?? []).map((secret: any) => [secret.name, secret.valueFrom])),
    executionRole: definition.executionRoleArn.split('/').at(-1),
  };
}

/** Every statement of a role's inline policies that allows an action. */
function statementsAllowing(dump: AccountDump, role: string, action: string): any[] {
  return Object.values(dump.roles[role]?.inline ?? {}).flatMap((policy: any) =>
    [policy.Statement].flat().filter((statement: any) => statement.Effect === 'Allow' && [statement.Action].flat().includes(action)),
  );
}

/** IAM's StringLike pattern as a regular expression (`*` any run, `?` one character). */
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const likePattern = (pattern: string) => new RegExp(`^${pattern.split('*').map((part) => part.split('?').map(escaped).join('.')).join('.*')}$`);

/** Whether a conditioned GetSecretValue statement lets its role read this secret, by the secret's own tags. */
function grantsByTags(statement: any, secret: any): boolean {
  const tags = Object.fromEntries((secret.Tags ?? []).map((tag: any) => [tag.Key, tag.Value]));
  const tag = (key: string) => tags[key.replace(/^secretsmanager:ResourceTag\//, '')];
  const equal = Object.entries(statement.Condition?.StringEquals ?? {}).every(([key, value]) => tag(key) === value);
  const like = Object.entries(statement.Condition?.StringLike ?? {}).every(([key, value]) => likePattern(value as string).test(tag(key) ?? ''));
  return equal && like && [statement.Resource].flat().some((resource: string) => likePattern(resource).test(secret.ARN));
}

function readBack(emulator: Emulator): Promise<Readback> {
  return new Promise((resolve, reject) => {
    execFile(pythonFacts()!.executable, [CLONE_READBACK, emulator.endpoint], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`clone_account.py failed: ${stderr}`));
      else resolve(JSON.parse(stdout) as Readback);
    });
  });
}

/** A preview's working copy: its state on the emulator's S3, reading staging's state there. */
function previewCopy(stackDir: string, emulator: Emulator): Promise<EmulatorStack> {
  const backend = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')).data.terraform_remote_state.staging.config;
  const remoteState = { data: { terraform_remote_state: { staging: { config: { ...backend, endpoints: { s3: emulator.endpoint, sts: emulator.endpoint }, use_path_style: true, skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true, skip_region_validation: true } } } } };
  return EmulatorStack.create(stackDir, emulator.endpoint, { s3Backend: true, extraFiles: { 'zzzz_remote_state_override.tf.json': JSON.stringify(remoteState) } });
}

/** A working copy's Terraform configuration (cdk.tf.json, as the emulator applies it). */
const configOf = (stack: EmulatorStack) => JSON.parse(fs.readFileSync(path.join(stack.workdir.dir, 'cdk.tf.json'), 'utf8'));

/**
 * `-target` of every resource and data source staging's outputs name: applied, they make every output
 * that names one (Terraform writes an output whose references are all targeted; a refresh-only apply then
 * writes the others), and a preview reads staging only through them, never the clone (staging's database
 * outputs are production's, looked up).
 */
function outputTargets(stack: EmulatorStack): string[] {
  const references = JSON.stringify(configOf(stack).output ?? {}).matchAll(/\$\{([^}]*)\}/g);
  const addresses = [...references].flatMap(([, expression]) => [...expression.matchAll(/(?<![\w.])((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g)].map(([, address]) => address));
  return [...new Set(addresses)].sort().map((address) => `-target=${address}`);
}

/** After the outputs' apply: every output of the configuration is in the state. */
async function expectOutputsInState(stack: EmulatorStack): Promise<void> {
  const outputs = JSON.parse(await stack.workdir.runAsync('output', '-json', '-no-color'));
  const missing = Object.keys(configOf(stack).output ?? {}).filter((name) => !(name in outputs));
  if (missing.length > 0) throw new Error(`staging's state lacks outputs after the outputs' apply: ${missing.join(', ')}`);
}

/** `-target` of each resource of a type in a working copy's configuration. */
const resourceTargets = (stack: EmulatorStack, type: string) => Object.keys(configOf(stack).resource?.[type] ?? {}).map((name) => `-target=${type}.${name}`);

function runScenario(name: string, testCase: Case): Scenario<Results> {
  return Scenario.start<Results>(name, async (record) => {
    const emulator = await Emulator.start();
    const copies: EmulatorStack[] = [];
    let projectRoot: string | undefined;
    try {
      // GIVEN the production account, and a file cloning prod-aurora
      const account = await emulator.createProductionAccount();
      record('account', account);
      const environment = environmentOf(account, testCase);
      record('environment', environment);
      const project = tempProject({ [STAGE]: environment });
      projectRoot = project.root;
      const errors: string[] = [];
      const synth = synthesize({ environmentsDir: project.environmentsDir, outdir: project.outdir, previews: testCase.preview ? { numbers: [testCase.preview] } : undefined, info: () => undefined, warn: () => undefined, error: (line) => errors.push(line) });
      if (synth.exitCode !== 0) throw new Error(`synth failed: ${errors.join('\n')}`);
      // production as it was, taken while the working copies come up (init, backend: the preview's too)
      const [before, staging, preview] = await Promise.all([
        emulator.snapshotProduction(),
        EmulatorStack.create(path.join(project.outdir, 'stacks', STAGE), emulator.endpoint, { s3Backend: testCase.preview !== undefined }),
        testCase.preview ? previewCopy(synth.previews[0].outputDirectory, emulator) : undefined,
      ]);
      copies.push(staging, ...(preview ? [preview] : []));

      const source = environment.service.database.clusterIdentifier;
      const appliedOf = async (stack: EmulatorStack, clone: string, family: string, service: string): Promise<Applied> => {
        const [dump, readback, state] = await Promise.all([emulator.dump(), readBack(emulator), stateOf(stack)]);
        return { clone, family, service, dump, readback, state };
      };
      const stagingApplied = () => appliedOf(staging, `${source}-${STAGE}-clone`, environment.taskDefinition.family, environment.service.name);
      const destroyOutput: string[] = [];
      if (preview) {
        // WHEN staging's outputs are applied (what the preview reads of staging, checked in its state),
        // then the rest of staging beside the whole preview, each read back once applied (the preview
        // once both are), both planned again; then destroyed: the preview beside staging's clone and
        // records (none of which the preview uses), then the rest of staging
        const { preview: slot } = synth.previews[0];
        await staging.apply(...outputTargets(staging));
        // a targeted apply leaves out the outputs that name nothing (the file's own IDs): a refresh-only apply writes them
        await staging.apply('-refresh-only');
        await expectOutputsInState(staging);
        // both settle before a failure stops the scenario, so that no apply runs on while the copies go
        const [stagingResult, previewResult] = await Promise.allSettled([staging.apply().then(stagingApplied), preview.apply()]);
        if (stagingResult.status === 'rejected') throw stagingResult.reason;
        if (previewResult.status === 'rejected') throw previewResult.reason;
        record('staging', stagingResult.value);
        record('preview', await appliedOf(preview, `${source}-${STAGE}-pr-${slot.number}`, slot.family, slot.service));
        const [previewSecondPlan, stagingSecondPlan] = await Promise.all([preview.plan(), staging.plan()]);
        record('previewSecondPlan', previewSecondPlan);
        // staging's second plan: with its preview applied beside it, there is no plan of staging alone to take
        record('secondPlan', stagingSecondPlan);
        record('stagingPlanWithPreview', stagingSecondPlan);
        const destroys = await Promise.allSettled([
          preview.destroy(),
          staging.destroy(`-target=aws_rds_cluster.${ADDRESS.databaseClone}`, ...resourceTargets(staging, 'aws_route53_record')),
        ]);
        for (const destroy of destroys) {
          if (destroy.status === 'rejected') throw destroy.reason;
          destroyOutput.push(destroy.value);
        }
      } else {
        // WHEN the stack is applied, read back, planned again and destroyed
        await staging.apply();
        record('staging', await stagingApplied());
        record('secondPlan', await staging.plan());
      }
      destroyOutput.push(await staging.destroy());
      record('destroyOutput', destroyOutput.join('\n'));
      record('destroyed', await readBack(emulator));
      record('production', { before, after: await emulator.snapshotProduction() });
    } finally {
      for (const copy of copies) await copy.dispose();
      if (projectRoot) fs.rmSync(projectRoot, { recursive: true, force: true });
      await emulator.stop();
    }
  });
}

// The first test of a scenario waits for its whole run.
jest.setTimeout(600000);

describeWithEmulator('clone mode (service.database.access: "clone"), against the AWS emulator', () => {
  const scenarios: Record<string, Scenario<Results>> = {};
  const started = Date.now();
  beforeAll(() => {
    for (const [name, testCase] of Object.entries(CASES)) scenarios[name] = runScenario(name, testCase);
  });
  afterAll(async () => {
    await Promise.all(Object.values(scenarios).map((scenario) => scenario.done));
    const summary = Object.values(scenarios).map((scenario) => `  ${scenario.name}: ${scenario.seconds.toFixed(0)} s (${scenario.timings.join(', ')})`);
    process.stdout.write(`clone scenarios (${((Date.now() - started) / 1000).toFixed(0)} s wall), seconds per step:\n${summary.join('\n')}\n`);
  });

  /** Staging's stack, or its preview's, in a case: what was applied, with the facts the tests compare against. */
  const stacks = (name: string) => ({
    get: <K extends keyof Results>(key: K) => scenarios[name].get(key),
    async facts(which: 'staging' | 'preview') {
      const [applied, environment, { before }] = await Promise.all([scenarios[name].get(which), scenarios[name].get('environment'), scenarios[name].get('production')]);
      const source = before.databaseClusters.find((cluster: any) => cluster.DBClusterIdentifier === environment.service.database.clusterIdentifier);
      const service = applied.dump.services.find((candidate) => candidate.serviceName === applied.service);
      const masked = environment.service.database.clone?.mask !== undefined;
      const maskProject = applied.readback.projects.find((project) => project.name === `${applied.clone}-mask`);
      return { applied, environment, before, source, service, masked, maskProject, clone: cloneIn(applied.readback, applied.clone) };
    },
  });

  describe.each(Object.keys(CASES))('%s', (name) => {
    const { get, facts } = stacks(name);

    test('the clone: a cluster of its own under the derived identifier, restored copy-on-write from the source (as the provider sent it), of its engine, port and encryption, with one writer instance', async () => {
      const { applied, source, clone } = await facts('staging');
      // THEN RDS answers a cluster that is not production's
      expect(applied.clone).toBe(`${source.DBClusterIdentifier}-${STAGE}-clone`);
      expect(clone.cluster.DBClusterIdentifier).not.toBe(source.DBClusterIdentifier);
      expect(clone.cluster.DbClusterResourceId).not.toBe(source.DbClusterResourceId);
      expect(clone.cluster).toMatchObject({ Engine: source.Engine, Port: source.Port, StorageEncrypted: source.StorageEncrypted, MasterUsername: source.MasterUsername, DeletionProtection: false, Status: 'available' });
      expect(clone.cluster.Endpoint).not.toBe(source.Endpoint);
      expect(clone.cluster.DBClusterMembers.map((member: any) => [member.DBInstanceIdentifier, member.IsClusterWriter])).toEqual([[`${applied.clone}-1`, true]]);
      expect(clone.instances.map((instance) => [instance.DBInstanceIdentifier, instance.DBInstanceClass, instance.Engine, instance.PubliclyAccessible])).toEqual([[`${applied.clone}-1`, 'db.t4g.medium', source.Engine, false]]);
      // and the restore the provider made: RDS here ignores its type (gaps.ts, DATABASE_GAPS), the state keeps what was sent
      const state = applied.state[`aws_rds_cluster.${ADDRESS.databaseClone}`];
      expect(state.restore_to_point_in_time).toEqual([expect.objectContaining({ restore_type: 'copy-on-write', source_cluster_identifier: source.DBClusterIdentifier, use_latest_restorable_time: true })]);
      expect(state).toMatchObject({ skip_final_snapshot: true, deletion_protection: false, manage_master_user_password: true, final_snapshot_identifier: null });
    });

    test('its own subnet group on the tasks’ subnets, its own security group admitting only the tasks’ group (and the masking job’s) on the port; nothing added to production’s groups', async () => {
      const { applied, before, source, service, masked, maskProject, clone } = await facts('staging');
      const tasksGroups: string[] = service.networkConfiguration.awsvpcConfiguration.securityGroups;
      const productionGroups = new Set(before.securityGroups.map((group: any) => group.GroupId));
      // THEN
      expect(clone.subnetGroup.DBSubnetGroupName).toBe(applied.clone);
      expect(clone.subnetGroup.Subnets.map((subnet: any) => subnet.SubnetIdentifier).sort()).toEqual([...service.networkConfiguration.awsvpcConfiguration.subnets].sort());
      expect(clone.groups.map((group) => group.GroupName)).toEqual([applied.clone]);
      expect(productionGroups.has(clone.groups[0].GroupId)).toBe(false);
      const admitted = [...tasksGroups, ...(masked ? maskProject.vpcConfig.securityGroupIds : [])];
      expect(tasksGroups).toHaveLength(1);
      expect(clone.rules.map(ruleOf).sort((a, b) => a.group!.localeCompare(b.group!))).toEqual(
        admitted.map((group) => ({ egress: false, protocol: 'tcp', from: source.Port, to: source.Port, group, cidr: undefined })).sort((a, b) => a.group.localeCompare(b.group)),
      );
      const productionRules = new Set(before.securityGroupRules.map((rule: any) => rule.SecurityGroupRuleId));
      expect(applied.readback.securityGroupRules.filter((rule) => productionGroups.has(rule.GroupId) && !productionRules.has(rule.SecurityGroupRuleId))).toEqual([]);
    });

    test('the container: DB_HOST is the clone’s endpoint as RDS answers it, DB_PASSWORD the password key of the clone’s own master secret, which only the execution role (and the masking job) may read; no rds-db:connect anywhere', async () => {
      const { applied, environment, source, masked, maskProject, clone } = await facts('staging');
      const { variables, secrets, executionRole } = containerOf(applied.dump, applied.family);
      // THEN the secret is RDS's own, for this cluster
      expect(clone.cluster.MasterUserSecret).toMatchObject({ SecretStatus: 'active' });
      expect(clone.secret).toMatchObject({ OwningService: 'rds', Name: expect.stringMatching(/^rds!cluster-/) });
      expect(clone.secret.Tags).toEqual(expect.arrayContaining([{ Key: 'aws:rds:primaryDBClusterArn', Value: clone.cluster.DBClusterArn }]));
      expect(variables).toMatchObject({ DB_HOST: clone.cluster.Endpoint, DB_PORT: String(clone.cluster.Port), DB_NAME: environment.service.database.databaseName, DB_USER: source.MasterUsername });
      expect(variables.DB_HOST).not.toBe(source.Endpoint);
      expect(secrets).toEqual({ DB_PASSWORD: `${clone.secret.ARN}:password::` });
      // the roles that name it
      const readers = Object.keys(applied.dump.roles).filter((role) =>
        statementsAllowing(applied.dump, role, 'secretsmanager:GetSecretValue').some((statement) => !statement.Condition && [statement.Resource].flat().includes(clone.secret.ARN)),
      );
      expect(readers.sort()).toEqual([executionRole, ...(masked ? [maskProject.serviceRole.split('/').at(-1)] : [])].sort());
      expect(Object.keys(applied.dump.roles).flatMap((role) => statementsAllowing(applied.dump, role, 'rds-db:connect'))).toEqual([]);
    });

    test('the service waits at 0 tasks while the clone is unmasked, its working hours suspended at 0; with the file’s consent it runs its count', async () => {
      const { applied, environment, service, masked } = await facts('staging');
      if (masked) {
        expect(service.desiredCount).toBe(0);
        const target = applied.dump.scalableTargets.find((candidate) => candidate.ResourceId.endsWith(`/${applied.service}`));
        expect(target).toMatchObject({ MinCapacity: 0, MaxCapacity: 0, SuspendedState: { DynamicScalingInSuspended: true, DynamicScalingOutSuspended: true, ScheduledScalingSuspended: true } });
      } else {
        expect(service.desiredCount).toBe(environment.service.desiredCount);
        expect(applied.readback.projects.filter((project) => project.name.startsWith(applied.clone))).toEqual([]);
        expect(applied.readback.rules).toEqual([]);
      }
    });

    test('a second plan is empty, but for the emulator’s own differences (gaps.ts)', async () => {
      expect(await get('secondPlan')).toEqual([]);
    });

    test('destroy needs no final snapshot and leaves no clone: no cluster, instance, subnet group, group, secret, masking job, rule or schedule of it', async () => {
      const [{ applied, before }, destroyed, output] = await Promise.all([facts('staging'), get('destroyed'), get('destroyOutput')]);
      expect(output).toMatch(/Destroy complete! Resources: \d+ destroyed\./);
      const clones = [applied.clone, ...(CASES[name].preview ? [`${applied.clone.replace(/-clone$/, '')}-pr-${CASES[name].preview}`] : [])];
      const ofAClone = (text: string | undefined) => clones.some((clone) => text?.startsWith(clone));
      expect(destroyed.clusters.map((cluster) => cluster.DBClusterIdentifier)).toEqual(before.databaseClusters.map((cluster: any) => cluster.DBClusterIdentifier));
      expect(destroyed.instances.map((instance) => instance.DBInstanceIdentifier)).toEqual(before.databaseInstances.map((instance: any) => instance.DBInstanceIdentifier));
      expect(destroyed.subnetGroups.map((group) => group.DBSubnetGroupName)).toEqual(before.databaseSubnetGroups.map((group: any) => group.DBSubnetGroupName));
      // no final snapshot; the emulator keeps the automated ones, which AWS deletes with the cluster (gaps.ts)
      expect(destroyed.clusterSnapshots.filter((snapshot) => ofAClone(snapshot.DBClusterIdentifier) && snapshot.SnapshotType !== CLONE_GAPS.keptSnapshotType)).toEqual([]);
      expect(destroyed.secrets.filter((secret) => secret.OwningService === 'rds')).toEqual([]);
      expect(destroyed.securityGroups.filter((group) => ofAClone(group.GroupName))).toEqual([]);
      expect(destroyed.projects.map((project) => project.name)).toEqual([]);
      expect(destroyed.rules).toEqual([]);
      expect(destroyed.schedules).toEqual([]);
    });

    test('after destroy, production is byte-identical: its clusters and instances, subnet groups, groups and rules, roles, listeners, zone', async () => {
      const { before, after } = await get('production');
      expect(JSON.stringify(after)).toBe(JSON.stringify(before));
    });
  });

  const MASKED = Object.keys(CASES).find((name) => CASES[name].preview !== undefined)!;

  describe(`${MASKED}: the masking job and the clone's working hours`, () => {
    const { facts } = stacks(MASKED);

    test('the masking job: its project in the VPC on the tasks’ subnets in its own group, started by an EventBridge rule on the clone’s instance RDS reports created; no build yet (gaps.ts)', async () => {
      const { applied, service, maskProject, clone } = await facts('staging');
      const network = service.networkConfiguration.awsvpcConfiguration;
      expect(maskProject.vpcConfig.subnets.sort()).toEqual([...network.subnets].sort());
      expect(maskProject.vpcConfig.securityGroupIds).toHaveLength(1);
      expect(network.securityGroups).not.toContain(maskProject.vpcConfig.securityGroupIds[0]);
      expect(applied.readback.securityGroups.find((group) => group.GroupId === maskProject.vpcConfig.securityGroupIds[0]).VpcId).toBe(maskProject.vpcConfig.vpcId);
      // the event: RDS says it created the instance, and the rule matches exactly its creation
      const [instance] = clone.instances;
      expect(applied.readback.instanceEvents.filter((event) => event.SourceIdentifier === instance.DBInstanceIdentifier && event.EventCategories.includes('creation')).map((event) => event.Message)).toEqual(['DB instance created']);
      const [rule] = applied.readback.rules.filter((candidate) => JSON.parse(candidate.EventPattern).detail?.SourceIdentifier?.includes(instance.DBInstanceIdentifier));
      expect(JSON.parse(rule.EventPattern)).toEqual({ source: ['aws.rds'], 'detail-type': ['RDS DB Instance Event'], detail: { SourceIdentifier: [instance.DBInstanceIdentifier], EventID: ['RDS-EVENT-0005'] } });
      expect(rule.State).toBe('ENABLED');
      expect(applied.readback.targets[rule.Name]).toEqual([expect.objectContaining({ Arn: maskProject.arn, RoleArn: expect.stringMatching(/mask-start$/) })]);
      expect(statementsAllowing(applied.dump, applied.readback.targets[rule.Name][0].RoleArn.split('/').at(-1), 'codebuild:StartBuild').flatMap((statement) => [statement.Resource].flat())).toEqual([maskProject.arn]);
      expect(applied.readback.builds[maskProject.name]).toHaveLength(CLONE_GAPS.buildsStarted);
    });

    test('EventBridge Scheduler stops the clone at sleep and starts it at wake: its identifier, in the file’s time zone', async () => {
      const { applied, clone } = await facts('staging');
      const schedules = applied.readback.schedules.filter((schedule) => schedule.Name.startsWith(applied.clone));
      expect(schedules.map((schedule) => [schedule.Target.Arn, JSON.parse(schedule.Target.Input), schedule.ScheduleExpression, schedule.ScheduleExpressionTimezone]).sort()).toEqual([
        ['arn:aws:scheduler:::aws-sdk:rds:startDBCluster', { DbClusterIdentifier: clone.cluster.DBClusterIdentifier }, HOURS.wake, HOURS.timezone],
        ['arn:aws:scheduler:::aws-sdk:rds:stopDBCluster', { DbClusterIdentifier: clone.cluster.DBClusterIdentifier }, HOURS.sleep, HOURS.timezone],
      ]);
    });
  });

  describe(`${MASKED}: PR ${PREVIEW}’s preview (previews.database.access "clone")`, () => {
    const { get, facts } = stacks(MASKED);

    test('its own clone of the same source, beside staging’s: derived identifier, engine, its own subnet group and group (admitting staging’s tasks’ group and masking job’s, on the port), one instance', async () => {
      const [{ applied, source, service, clone }, staging] = await Promise.all([facts('preview'), facts('staging')]);
      expect(applied.clone).toBe(`${source.DBClusterIdentifier}-${STAGE}-pr-${PREVIEW}`);
      expect(clone.cluster).toMatchObject({ Engine: source.Engine, Port: source.Port, StorageEncrypted: source.StorageEncrypted, DBSubnetGroup: applied.clone });
      expect(clone.cluster.Endpoint).not.toBe(staging.clone.cluster.Endpoint);
      expect(clone.cluster.DBClusterMembers.map((member: any) => [member.DBInstanceIdentifier, member.IsClusterWriter])).toEqual([[`${applied.clone}-1`, true]]);
      expect(clone.instances).toHaveLength(1);
      expect(clone.groups.map((group) => group.GroupName)).toEqual([applied.clone]);
      const state = applied.state[`aws_rds_cluster.${ADDRESS.databaseClone}`];
      expect(state.restore_to_point_in_time).toEqual([expect.objectContaining({ restore_type: 'copy-on-write', source_cluster_identifier: source.DBClusterIdentifier, use_latest_restorable_time: true })]);
      expect(state).toMatchObject({ skip_final_snapshot: true, manage_master_user_password: true });
      const admitted = [...service.networkConfiguration.awsvpcConfiguration.securityGroups, ...staging.maskProject.vpcConfig.securityGroupIds].sort();
      expect(clone.rules.map(ruleOf).map((rule) => `${rule.egress} ${rule.protocol} ${rule.from}-${rule.to} ${rule.group}`).sort()).toEqual(admitted.map((group) => `false tcp ${source.Port}-${source.Port} ${group}`).sort());
      // the preview's tasks run in staging's tasks' group
      expect(service.networkConfiguration.awsvpcConfiguration.securityGroups).toEqual(staging.service.networkConfiguration.awsvpcConfiguration.securityGroups);
    });

    test('its container: its clone’s endpoint and secret, which staging’s execution role may read by RDS’s own tags on it; its service at 0 tasks, its working hours suspended', async () => {
      const { applied, source, service, clone } = await facts('preview');
      const { variables, secrets, executionRole } = containerOf(applied.dump, applied.family);
      expect(variables).toMatchObject({ DB_HOST: clone.cluster.Endpoint, DB_PORT: String(clone.cluster.Port), DB_USER: source.MasterUsername });
      expect(secrets).toEqual({ DB_PASSWORD: `${clone.secret.ARN}:password::` });
      const byTags = statementsAllowing(applied.dump, executionRole, 'secretsmanager:GetSecretValue').filter((statement) => statement.Condition);
      expect(byTags.filter((statement) => grantsByTags(statement, clone.secret))).toHaveLength(1);
      // and not staging's clone's: its tags name another cluster
      const staging = await facts('staging');
      expect(byTags.filter((statement) => grantsByTags(statement, staging.clone.secret))).toEqual([]);
      expect(service.desiredCount).toBe(0);
      expect(applied.dump.scalableTargets.find((target) => target.ResourceId.endsWith(`/${applied.service}`))).toMatchObject({ MinCapacity: 0, MaxCapacity: 0, SuspendedState: { ScheduledScalingSuspended: true } });
      expect(Object.keys(applied.dump.roles).flatMap((role) => statementsAllowing(applied.dump, role, 'rds-db:connect'))).toEqual([]);
    });

    test('its masking job: a project of its own, run with staging’s previews’ role, started by a rule on its own instance', async () => {
      const { applied, maskProject, clone } = await facts('preview');
      expect(maskProject.serviceRole).toMatch(/previews-mask$/);
      const rule = applied.readback.rules.find((candidate) => candidate.Name === `${applied.clone}-mask-start`);
      expect(JSON.parse(rule.EventPattern).detail).toEqual({ SourceIdentifier: [clone.instances[0].DBInstanceIdentifier], EventID: ['RDS-EVENT-0005'] });
      expect(applied.readback.targets[rule.Name]).toEqual([expect.objectContaining({ Arn: maskProject.arn })]);
    });

    test('staging’s clone is untouched by the preview’s', async () => {
      // as read once staging was applied, and once the preview was too (they apply side by side)
      const [staging, preview] = await Promise.all([facts('staging'), facts('preview')]);
      const strip = ({ LatestRestorableTime: _latest, ...cluster }: any) => cluster;
      const after = cloneIn(preview.applied.readback, staging.applied.clone);
      expect(strip(after.cluster)).toEqual(strip(staging.clone.cluster));
      expect(after.instances.map((instance) => [instance.DBInstanceIdentifier, instance.DbiResourceId, instance.Endpoint])).toEqual(staging.clone.instances.map((instance) => [instance.DBInstanceIdentifier, instance.DbiResourceId, instance.Endpoint]));
      expect(after.rules.map(ruleOf)).toEqual(staging.clone.rules.map(ruleOf));
    });

    test('the preview’s second plan is empty, and so is staging’s with the preview applied, but for the emulator’s own differences (gaps.ts)', async () => {
      expect(await get('previewSecondPlan')).toEqual([]);
      expect(await get('stagingPlanWithPreview')).toEqual([]);
    });
  });
});
