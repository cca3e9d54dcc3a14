import type { AccountDump, Emulator } from '../emulator';

/**
 * Every gap found between moto_server 5.2.1 (the AWS emulator) and AWS, in one place: what was seen,
 * and what the end-to-end suite does about it. The suite uses these lists and nothing else to excuse
 * a difference; docs/testing.md ("Tested against an AWS API") links here.
 */

/** Resource types the emulator cannot create: removed from the test copy of a stack before apply. */
export const UNSUPPORTED_RESOURCES: Record<string, string> = {
  // Seen: CreateWebhook answers HTTP 500 "not yet implemented"; the provider retries it for minutes.
  // Covered instead by the offline plan, validate and the tftest invariants.
  aws_codebuild_webhook: 'CodeBuild CreateWebhook is not implemented (HTTP 500)',
};

/**
 * Attributes a second plan after apply shows as changed because the emulator did not store or
 * echo them as AWS does (resource type → attribute → what was seen). The test copy of a stack lists
 * them in the resource's `lifecycle.ignore_changes`; any other change fails the test.
 */
export const SECOND_PLAN_DIFFS: Record<string, Record<string, string>> = {
  aws_ecs_service: {
    availability_zone_rebalancing: 'not stored: read back empty, planned "DISABLED" again',
    enable_execute_command: 'not stored: read back false, planned true again',
    health_check_grace_period_seconds: 'not stored: read back 0, planned 60 again',
    capacity_provider_strategy:
      'dropped at CreateService (moto ecs/responses.py reads no capacityProviderStrategy; launchType read back "EC2"): read back empty, so the provider plans a replacement (none to some items forces new) on every plan',
  },
  aws_codebuild_project: {
    secondary_sources: 'dropped at CreateProject (moto codebuild/responses.py reads no secondarySources): read back empty',
    secondary_source_version: 'dropped at CreateProject with the secondary sources: read back empty',
  },
  aws_vpc_security_group_ingress_rule: {
    description: 'not kept: read back empty',
    referenced_security_group_id: 'read back as "<account>/sg-…" instead of "sg-…"',
  },
  aws_vpc_security_group_egress_rule: {
    description: 'not kept on a rule to a group (seen on the masking job\'s rule to the clone; a rule to a CIDR keeps it): read back empty',
  },
  aws_rds_cluster: {
    scaling_configuration:
      'DescribeDBClusters answers ScalingConfigurationInfo {} for a provisioned cluster (AWS: only for Serverless v1): read back as one empty block, so the provider plans its Serverless v1 defaults (auto_pause true, min_capacity 1, max_capacity 16, timeout_action "RollbackCapacityChange") into it again',
  },
};

/** Where the deploy hand-off cannot see what ECS would do. */
export const DEPLOY_GAPS = {
  /**
   * Seen: `update-service --task-definition stg-server` (a bare family) stores "stg-server" as the
   * service's task definition, where ECS stores the family's latest ACTIVE revision ARN. The values the
   * emulator may answer besides that ARN.
   */
  serviceTaskDefinition: (family: string): string[] => [family],
  /**
   * Seen: with the bare family stored, the provider panics reading the service
   * (`familyAndRevisionFromTaskDefinitionARN`: index out of range), so destroy fails. After the hand-off,
   * the service is put back on the latest revision ARN, as ECS itself would hold it.
   */
  async restoreServiceTaskDefinition(emulator: Emulator, after: AccountDump, services: Record<string, { name: string; task_definition: string }>): Promise<void> {
    for (const service of Object.values(services)) {
      const deployed = after.services.find((candidate) => candidate.serviceName === service.name);
      const latest = after.latestTaskDefinitions[service.task_definition];
      if (deployed && latest && deployed.taskDefinition === service.task_definition) {
        await emulator.aws(['ecs', 'update-service', '--cluster', deployed.clusterArn, '--service', service.name, '--task-definition', latest.taskDefinitionArn]);
      }
    }
  },
};

/** What the AWS API of the emulator answers about an applied service's capacity. */
export const CAPACITY_GAPS = {
  /**
   * Seen: CreateService ignores capacityProviderStrategy and answers launchType "EC2" for a service
   * created with a strategy (moto ecs/models.py defaults it). The strategy is checked in the plan and
   * the tftest invariants instead; the cluster's capacity providers are read back as AWS keeps them.
   */
  launchTypeWithStrategy: 'EC2',
};

/**
 * Production's snapshot (production_account.py snapshot) compared before and after: the fields the
 * answer changes by itself between two calls, with nothing changed (section → field → what was seen).
 * `Emulator.snapshotProduction` leaves exactly these out; every other byte must be the same.
 */
export const SNAPSHOT_VOLATILE_FIELDS: Record<string, Record<string, string>> = {
  databaseClusters: {
    LatestRestorableTime: 'DescribeDBClusters answers the time of the call (seen: 09:49:14.078839, then 09:49:15.433332 a second later); AWS advances it too, every ~5 minutes: it is not configuration',
  },
  databaseInstances: {
    LatestRestorableTime: 'DescribeDBInstances answers the time of the call, as DescribeDBClusters does',
  },
};

/**
 * RDS and Aurora as the emulator answers them (production_account.py's databases), against the RDS
 * API reference. None changes what the database suite asserts: the stacks look up the clusters, whose
 * answers (DbClusterResourceId, DBClusterMembers, Endpoint, ReaderEndpoint, Port, MasterUsername,
 * IAMDatabaseAuthenticationEnabled, VpcSecurityGroups) are as AWS gives them, and the instance by its
 * Endpoint and VpcSecurityGroups, which are too. Seen with moto 5.2.1.
 */
export const DATABASE_GAPS = [
  'DescribeDBInstances: every instance has the same DbiResourceId, "db-M5ENSHXFPU6XHZ4G4ZEI5QIO2U" (moto rds/models.py has it as a constant); AWS gives each its own. An instance stack with iamAuth would get a connect resource that names every instance: the suite connects to the instance with a password only, and the IAM resource is checked on the clusters, whose DbClusterResourceId differs per cluster.',
  'DescribeDBInstances: the endpoint is "<identifier>.aaaaaaaaaa.<region>.rds.amazonaws.com" for every instance (AWS: a hash of the account and region); the suite compares DB_HOST with the answered Endpoint.Address, whatever its form.',
  'DescribeDBInstances: an Aurora cluster member answers IAMDatabaseAuthenticationEnabled false while its cluster answers true (seen on prod-aurora-writer); the kit checks the cluster\'s value only.',
  'DescribeDBClusters: an aurora-postgresql cluster\'s DBClusterParameterGroup is "default.aurora8.0" (AWS: default.aurora-postgresql15); not read by the kit.',
  'DescribeDBClusters: an unencrypted cluster answers KmsKeyId "default_kms_key_id" (AWS: none); the production lookup passed it to the clone\'s kms_key_id, which the provider refused at plan (seen: kms_key_id "(default_kms_key_id) is an invalid ARN"). emulator/moto_server.py leaves it out of an unencrypted cluster, as AWS does.',
  'RestoreDBClusterToPointInTime ignores RestoreType: "copy-on-write" makes the same cluster as "full-copy", a new cluster with the source\'s attributes copied (moto rds/models.py), and neither the clone nor its source answers a CloneGroupId (AWS gives both the same one); nothing shares pages, and the 15-clone limit is not there. The clone suite checks restore_to_point_in_time (type, source, latest restorable time) as the provider sent it, in the state, and the clone as DescribeDBClusters answers it: its identifier, engine, port, encryption, subnet group, security group, one writer, its master secret.',
  'RDS events: DescribeEvents answers "DB instance created" (category creation) for the clone\'s instance, but RDS sends nothing to EventBridge, so the rule on RDS-EVENT-0005 that starts the masking job never fires and no build starts (seen: ListBuildsForProject empty); the service stays at 0 tasks, as it does in AWS until the mask has run. The clone suite checks that the rule\'s pattern names the instance RDS reported created, and its target the project (CLONE_GAPS.buildsStarted); the masking itself runs on a real PostgreSQL server (__tests__/database/masking.test.ts).',
  'DeleteDBCluster keeps the cluster\'s automated snapshots ("rds:<cluster>-<time>", SnapshotType automated, seen for both clones after destroy), which AWS removes with the cluster (the provider sends delete_automated_backups = true). The clone suite leaves that type out of what a destroy left (CLONE_GAPS.keptSnapshotType) and requires no other snapshot of a clone: destroy takes no final snapshot.',
  'ManageMasterUserPassword, applied by the provider after the restore: as in AWS. ModifyDBCluster makes the secret "rds!cluster-<uuid>", owned by rds and tagged aws:rds:primaryDBClusterArn and aws:secretsmanager:owningService (the tags the previews\' grant is conditioned on), answered as MasterUserSecret, and DeleteDBCluster deletes it.',
];

/** The clone suite\'s (clone.test.ts) use of what DATABASE_GAPS says of clones: the values the emulator answers instead of AWS\'s. */
export const CLONE_GAPS = {
  /** Builds of a masking job's project after the apply: no RDS event reaches EventBridge (AWS: one, started by the instance's creation). */
  buildsStarted: 0,
  /** The snapshots DeleteDBCluster leaves behind here (AWS: none). */
  keptSnapshotType: 'automated',
};

/** Gaps worked around elsewhere, each where it is handled. */
export const OTHER_GAPS = [
  'Application Auto Scaling ListTagsForResource, TagResource and UntagResource are not implemented (HTTP 500 "not implemented"; seen: `aws_appautoscaling_target` create fails with "listing tags for Application Auto Scaling Target … StatusCode: 500"). The suite starts moto through emulator/moto_server.py, which adds the three calls, keeping tags per ARN, and those RegisterScalableTarget is given (moto drops them; seen: a preview\'s target read back without its provider\'s default tags, so its second plan changed tags_all).',
  'CodeBuild DeleteProject with the project\'s ARN, the provider\'s ID, deletes nothing (moto looks the name up only; seen: every aws_codebuild_project still listed after destroy, and with a name it is gone): emulator/moto_server.py finds the project by ARN too. Without it a reopened preview could not make its masking job\'s project again.',
  'IAM has no AWS managed policies unless moto_server runs with MOTO_IAM_LOAD_MANAGED_POLICIES=true (Emulator.start sets it).',
  'Hosted zone IDs lack the Z prefix of every Route 53 zone ID (seen: "7DGRXMHP8GX62SVGLB3CUV"), which the zoneId rule requires: the emulator fixtures name the zone (zoneName) instead (emulator/environments.ts). The rule stays: AWS zone IDs start with Z.',
  'The ALB canonical hosted zone ID is "Z2P70J7EXAMPLE" in every region, not the region\'s ALB zone (Z14GRHDCWA56QT in ap-northeast-1), which the alias rule requires; the emulator\'s Route 53 takes any alias target zone, so the examples keep the real one (emulator/environments.ts).',
  'ECS services never run tasks (running count 0), so no rollout would ever complete: the deploy hand-off test first calls UpdateService with the service\'s own desired count, which moto takes as that many tasks running, and then runs the deploy check\'s wait unstubbed (only docker, curl and sleep are stubs).',
  'Under load, the server sometimes closes a kept-alive connection mid-response; the provider retries, and a retried CreateRule then failed with PriorityInUse against the rule its first attempt made (seen with three preview applies at once beside the staging apply and a mutation run, and again in CI with the previews applied one after the other: PR 7\'s rule on 1007, the first rule of the band). emulator/moto_server.py answers an identical CreateRule (listener, priority, conditions, actions) with the rule it already made; another rule on a priority in use is still PriorityInUse (emulator/create-rule-retry.test.ts).',
  'A response lost on its way back, of a change moto made: the AWS SDKs retry, with the first attempt\'s amz-sdk-invocation-id, and moto refused the retry of its own change. Seen in the clone suite: InvalidPermission.Duplicate on stg_server_from_alb\'s AuthorizeSecurityGroupIngress, once in five runs; with moto\'s requests logged and the provider at debug, IAM GetUser answered 200 in 3 ms and attempt 2 of the same invocation ID sent 120 ms later, no response logged for attempt 1 (one of 781 requests). emulator/moto_server.py keeps each change\'s 2xx answer (not GET or HEAD) by its invocation ID and answers a later attempt of that ID with it, without reaching moto; a new call (another ID) for a rule a group has is still InvalidPermission.Duplicate (emulator/retried-call.test.ts).',
];

/**
 * Where the suite's moto_server answers otherwise than AWS to save time (emulator/moto_speed.py,
 * docs/testing.md); each with what was seen. `__tests__/emulator/shortcuts.test.ts` checks them.
 */
export const EMULATOR_SHORTCUTS = {
  route53ChangeInfo:
    'ChangeResourceRecordSets answers the AWS provider (User-Agent terraform-provider-aws/) without ChangeInfo. The provider waits for every record change to be INSYNC, and its wait sleeps 10 to 30 s (random) before its first GetChange, though moto answers INSYNC from the start (seen with provider 5.100.0: a CNAME created in 19.2 s and destroyed in 20.4 s, 4.0 s and 5.6 s without ChangeInfo, where the provider skips the wait). boto3 and the AWS CLI still get ChangeInfo, INSYNC. The wait itself is not exercised: on AWS a change takes up to a minute to be INSYNC.',
  iamManagedPolicies:
    'AWS managed policies exist in the aws partition only (moto made an IAM backend for each of six partitions at an account\'s first request, and parsed ~1,400 policies into each: 1.2 s of CPU per emulator). Every stack here is in ap-northeast-1, partition aws.',
  ec2DefaultAmis:
    'EC2 has no AMIs (MOTO_EC2_LOAD_DEFAULT_AMIS=false; moto loaded ~2,400 for each region it made, 0.3 s of CPU each): no stack launches an instance.',
  serviceList:
    'Not a difference an API shows: moto_server listed its own package directory (a listdir and a stat per entry) on every request to find the service, 1.5 ms a request (3.9 s of CPU in the examples suite\'s 2,600 requests); the list is read once.',
};

/**
 * Where the local database servers of the grants suites (support/database-servers.ts, __tests__/database/)
 * differ from RDS and Aurora, and what the suites do about it. They run the SQL `databaseGrantsSql` prints.
 */
export const DATABASE_SERVER_GAPS = {
  /**
   * PostgreSQL: `rds_iam` is a role only RDS has (membership makes RDS take IAM tokens, not passwords).
   * The suite creates a plain NOLOGIN role of that name, as the superuser, before the SQL runs; the SQL
   * is run as printed. Signing in with a token is not tested (no IAM here): the membership is.
   */
  rdsIamRole: 'CREATE ROLE rds_iam NOLOGIN',
  /**
   * MariaDB/MySQL: AWSAuthenticationPlugin is RDS's own (seen here: "ERROR 1524 Plugin
   * 'AWSAuthenticationPlugin' is not loaded", as RDS answers when IAM authentication is off). The IAM
   * variant runs with exactly this clause replaced by a password; the rest, REQUIRE SSL included, as printed.
   */
  awsAuthenticationPlugin: { printed: "IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'", standIn: (password: string): string => `IDENTIFIED BY '${password}'` },
  /**
   * A local server's first user is a superuser; RDS's master never is (PostgreSQL: rds_superuser, with
   * CREATEROLE and CREATEDB, not SUPERUSER; MySQL/MariaDB: no SUPER, no FILE, no privileges on mysql.*).
   * The superuser only makes the stand-ins and a master like RDS's: PostgreSQL LOGIN CREATEROLE CREATEDB
   * NOSUPERUSER, owning the database; MariaDB ALL on the database WITH GRANT OPTION, and CREATE USER. The
   * SQL runs as that master, and the staging user's powers are tested as the staging user.
   */
  masterUser: {
    postgres: 'CREATE ROLE master LOGIN CREATEROLE CREATEDB NOSUPERUSER',
    mariadb: ['GRANT ALL PRIVILEGES ON app.* TO master WITH GRANT OPTION', 'GRANT CREATE USER ON *.* TO master'],
  },
  /** Passwords and TLS: the PostgreSQL server trusts socket logins but for the password variant's user (scram-sha-256); MariaDB's socket has a self-signed certificate, so REQUIRE SSL is enforced as on RDS. */
  transport: 'unix socket only (no TCP port); RDS is reached over TCP with its CA bundle',
  /**
   * The masking job (masking.test.ts) reaches the servers on their sockets: its endpoint is the PostgreSQL socket
   * dir, where libpq ignores the job's PGSSLMODE=require (TLS to the clone is not exercised), and "localhost" for
   * MariaDB, whose client finds the socket through MYSQL_UNIX_PORT (the job's option file names no socket) and is
   * given --ssl there. Neither engine's job verifies the server's certificate (no RDS CA bundle). The clone, its
   * managed master secret, the RDS waiter and the ECS service are a stub aws that records its calls.
   */
  maskingJob: 'the endpoint is a socket (no TLS to PostgreSQL, MYSQL_UNIX_PORT for MariaDB); the clone, its secret and ECS are a stub aws',
  /**
   * MariaDB: RDS for MariaDB's master holds its privileges on *.* WITH GRANT OPTION (RDS User Guide, "Master user
   * account privileges"), not ALL on one database: mariadb-grants.test.ts makes exactly that master (its
   * RDS_MASTER_PRIVILEGES), not masterUser.mariadb's. The difference shows: such a master lacks DELETE HISTORY, so
   * `REVOKE ALL PRIVILEGES ON app_db.* FROM …` is refused to it (seen: "ERROR 1044 Access denied for user
   * 'master'@'%' to database 'app'"), as on RDS, while ALL on the database would let it pass here only; the SQL
   * uses `REVOKE ALL PRIVILEGES, GRANT OPTION FROM …`, which needs CREATE USER alone (seen working, even on a user
   * holding SUPER). MariaDB 10.5+ names REPLICATION CLIENT BINLOG MONITOR in what the master is seen to hold.
   */
  rdsMariadbMaster: 'the RDS list on *.* WITH GRANT OPTION (no SUPER, FILE, DELETE HISTORY), made by the local root',
  /**
   * The SQL of engine mysql and aurora-mysql runs on MariaDB 10.11 (Debian 12 has no MySQL server), not MySQL 8.0
   * or Aurora MySQL 3. The suite asserts the three engines' statements are the same; they use only syntax both
   * document. Known differences, not exercised: MySQL 8.0 refuses SELECT … FOR UPDATE to a SELECT-only user (it
   * needs UPDATE, DELETE or LOCK TABLES; MariaDB allows it, seen), has roles and partial_revokes (with which an
   * unescaped "_" in GRANT … ON db.* is literal; escaped, as the SQL prints it, it is literal in both modes).
   */
  mysqlEngines: 'MariaDB 10.11 stands in for MySQL 8.0 and Aurora MySQL 3',
  /**
   * The IAM user's stand-in password can be changed by the user itself (SET PASSWORD, seen: every MariaDB user
   * may); what RDS answers for an AWSAuthenticationPlugin user is not seen here. Either way the next run of the
   * SQL (ALTER USER … IDENTIFIED WITH …) sets the sign-in back, which the suite shows for the password user.
   */
  selfSetPassword: 'SET PASSWORD by the user itself: seen on the stand-in, not on RDS\'s plugin',
  /**
   * Accounts: mariadb-install-db --skip-test-db (10.11) makes root@{localhost,127.0.0.1,::1,<host>} and
   * mariadb.sys@localhost, no anonymous ''@'localhost' (seen in mysql.global_priv), so a socket login as
   * 'staging_ro' matches 'staging_ro'@'%' as on RDS; an anonymous localhost account would match first.
   */
  accounts: 'no anonymous accounts, no test database, as on RDS',
};

/**
 * The day-2 commands' suite (__tests__/emulator/operations.test.ts) keeps its gaps in operations-gaps.ts
 * (ExecuteCommand and the service-deployments calls missing, RunTask of a Fargate task definition,
 * FilterLogEvents' stream prefix, CodeBuild timestamps, …); named here, so that this file stays the one
 * place to look.
 */
export { MISSING_CALLS as OPERATIONS_MISSING_CALLS, OPERATIONS_GAPS } from './operations-gaps';
