import { TerraformVariable } from 'cdktf';
import { CloneDatabase, cloneSecretStatement, previewCloneSecretsStatement } from '../../src/constructs/clone-database';
import { MaskJobSecurityGroup } from '../../src/constructs/mask-job-security-group';
import { marksOf } from '../../src/constructs/marks';
import { CLONE, CLONE_PROPS, MASK_GROUP, SOURCE, TASKS_GROUP } from '../support/clone-stacks';
import { synthScope } from '../support/synth';

/**
 * CloneDatabase (issue 27): a copy-on-write clone of the production Aurora cluster, one resource per
 * concern, each argument checked against what the issue and the provider's pitfalls ask of it.
 */

const synthClone = (props: Partial<typeof CLONE_PROPS> = {}) => synthScope((scope) => new CloneDatabase(scope, 'Clone', { ...CLONE_PROPS, ...props }));

describe('CloneDatabase', () => {
  test('GIVEN the props of a masked clone WHEN synthesized THEN a cluster, its instance, its subnet group, its group, and rules from the tasks and the masking job, nothing else', () => {
    // WHEN
    const synth = synthClone();
    // THEN
    expect(synth.addresses().sort()).toEqual([
      'aws_db_subnet_group.database_clone',
      'aws_rds_cluster.database_clone',
      'aws_rds_cluster_instance.database_clone',
      'aws_security_group.database_clone',
      'aws_vpc_security_group_egress_rule.database_clone_mask_to_clone',
      'aws_vpc_security_group_ingress_rule.database_clone_from_mask',
      'aws_vpc_security_group_ingress_rule.database_clone_from_tasks',
    ]);
  });

  test('GIVEN a clone WHEN synthesized THEN the cluster is restored copy-on-write from the source at the latest restorable time, and the restore block is ignored after create (provider #32888)', () => {
    // WHEN
    const cluster = synthClone({ sourceClusterIdentifier: '${data.aws_rds_cluster.production.cluster_identifier}' }).resource('aws_rds_cluster', 'database_clone');
    // THEN
    expect(cluster.restore_to_point_in_time).toEqual({ source_cluster_identifier: '${data.aws_rds_cluster.production.cluster_identifier}', restore_type: 'copy-on-write', use_latest_restorable_time: true });
    expect(cluster.lifecycle).toEqual({ ignore_changes: ['restore_to_point_in_time'] });
    expect(cluster.cluster_identifier).toBe(CLONE);
    expect(cluster.engine).toBe('aurora-postgresql');
  });

  test('GIVEN no sourceClusterIdentifier WHEN synthesized THEN the restore names the source as the file does', () => {
    expect(synthClone().resource('aws_rds_cluster', 'database_clone').restore_to_point_in_time.source_cluster_identifier).toBe(SOURCE);
  });

  test('GIVEN a clone WHEN synthesized THEN no final snapshot, no deletion protection, a managed master password, and the source\'s encryption and port', () => {
    // WHEN
    const cluster = synthClone().resource('aws_rds_cluster', 'database_clone');
    // THEN
    expect(cluster).toMatchObject({
      skip_final_snapshot: true,
      deletion_protection: false,
      manage_master_user_password: true,
      storage_encrypted: true,
      kms_key_id: CLONE_PROPS.kmsKeyId,
      port: 5432,
      db_subnet_group_name: '${aws_db_subnet_group.database_clone.name}',
      vpc_security_group_ids: ['${aws_security_group.database_clone.id}'],
    });
    // no monitoring or Performance Insights settings, which can make a restore fail (boto3#4634)
    for (const key of ['monitoring_interval', 'performance_insights_enabled', 'master_password', 'master_username', 'final_snapshot_identifier', 'engine_version']) expect(cluster).not.toHaveProperty(key);
  });

  test('GIVEN no instanceClass WHEN synthesized THEN one instance of the smallest class the engine supports, db.t4g.medium, in the clone', () => {
    // WHEN
    const instance = synthClone().resource('aws_rds_cluster_instance', 'database_clone');
    // THEN
    expect(instance).toMatchObject({ identifier: `${CLONE}-1`, cluster_identifier: '${aws_rds_cluster.database_clone.id}', instance_class: 'db.t4g.medium', engine: 'aurora-postgresql', publicly_accessible: false });
  });

  test('GIVEN instanceClass db.r6g.large WHEN synthesized THEN the instance is of that class', () => {
    expect(synthClone({ instanceClass: 'db.r6g.large' }).resource('aws_rds_cluster_instance', 'database_clone').instance_class).toBe('db.r6g.large');
  });

  test('GIVEN Serverless v2 capacities WHEN synthesized THEN the cluster scales between them and the instance is db.serverless', () => {
    // WHEN
    const synth = synthClone({ engine: 'aurora-mysql', port: 3306, serverless: { minCapacity: 0, maxCapacity: 4 } });
    // THEN
    expect(synth.resource('aws_rds_cluster', 'database_clone').serverlessv2_scaling_configuration).toEqual({ min_capacity: 0, max_capacity: 4 });
    expect(synth.resource('aws_rds_cluster_instance', 'database_clone')).toMatchObject({ instance_class: 'db.serverless', engine: 'aurora-mysql' });
  });

  test('GIVEN a clone WHEN synthesized THEN its subnet group spans the tasks\' subnets, under the clone\'s name', () => {
    expect(synthClone().resource('aws_db_subnet_group', 'database_clone')).toMatchObject({ name: CLONE, subnet_ids: CLONE_PROPS.subnetIds });
  });

  test('GIVEN a clone WHEN synthesized THEN its group admits the tasks\' group and the masking job\'s on the port, nothing else, and the job may reach it', () => {
    // WHEN
    const synth = synthClone();
    // THEN
    expect(synth.resource('aws_security_group', 'database_clone')).toMatchObject({ name: CLONE, vpc_id: CLONE_PROPS.vpcId });
    expect(synth.resource('aws_security_group', 'database_clone')).not.toHaveProperty('ingress');
    const rule = { security_group_id: '${aws_security_group.database_clone.id}', ip_protocol: 'tcp', from_port: 5432, to_port: 5432 };
    expect(synth.resource('aws_vpc_security_group_ingress_rule', 'database_clone_from_tasks')).toMatchObject({ ...rule, referenced_security_group_id: TASKS_GROUP });
    expect(synth.resource('aws_vpc_security_group_ingress_rule', 'database_clone_from_mask')).toMatchObject({ ...rule, referenced_security_group_id: MASK_GROUP });
    expect(synth.resource('aws_vpc_security_group_egress_rule', 'database_clone_mask_to_clone')).toMatchObject({ security_group_id: MASK_GROUP, referenced_security_group_id: '${aws_security_group.database_clone.id}', from_port: 5432, to_port: 5432 });
  });

  test('GIVEN two task groups and no masking job WHEN synthesized THEN one rule per task group, and none for a job', () => {
    // WHEN
    const synth = synthClone({ clientSecurityGroupIds: [TASKS_GROUP, 'sg-0ccccccccccccccccc'], maskFile: undefined, maskSecurityGroupId: undefined, unmaskedConsented: true });
    // THEN
    expect(synth.addresses().filter((a) => a.startsWith('aws_vpc_security_group')).sort()).toEqual([
      'aws_vpc_security_group_ingress_rule.database_clone_from_tasks',
      'aws_vpc_security_group_ingress_rule.database_clone_from_tasks_2',
    ]);
  });

  test('GIVEN the tasks\' groups as a list known at plan (a preview reads staging\'s) WHEN synthesized THEN one rule per group, by for_each', () => {
    // WHEN
    const synth = synthScope((scope) => {
      const groups = new TerraformVariable(scope, 'groups', { type: 'list(string)' });
      new CloneDatabase(scope, 'Clone', { ...CLONE_PROPS, clientSecurityGroupIds: groups.listValue });
    });
    // THEN
    expect(synth.resource('aws_vpc_security_group_ingress_rule', 'database_clone_from_tasks')).toMatchObject({
      for_each: '${toset(var.groups)}',
      referenced_security_group_id: '${each.value}',
      security_group_id: '${aws_security_group.database_clone.id}',
    });
  });

  test('GIVEN a clone WHEN built THEN maskTarget gives the masking job the clone, its master secret, the network and the SQL file', () => {
    // WHEN
    let clone!: CloneDatabase;
    const synth = synthScope((scope) => {
      clone = new CloneDatabase(scope, 'Clone', CLONE_PROPS);
    });
    void synth;
    // THEN
    const target = clone.maskTarget;
    expect(target).toMatchObject({ port: 5432, engine: 'aurora-postgresql', databaseName: 'app', masterUsername: 'postgres', vpcId: CLONE_PROPS.vpcId, subnetIds: CLONE_PROPS.subnetIds, securityGroupId: MASK_GROUP, clientSecurityGroupIds: [TASKS_GROUP], maskFile: 'db/mask.sql' });
    for (const token of [target.clusterIdentifier, target.clusterArn, target.endpoint, target.secretArn]) expect(token).toMatch(/\$\{TfToken\[/);
    expect(clone.passwordReference.endsWith(':password::')).toBe(true);
  });

  test('GIVEN a clone WHEN built THEN its resources are marked as the kit\'s clone of the source, for the guardrails', () => {
    // WHEN
    let clone!: CloneDatabase;
    synthScope((scope) => {
      clone = new CloneDatabase(scope, 'Clone', { ...CLONE_PROPS, maskFile: undefined, unmaskedConsented: true });
    });
    // THEN
    expect(marksOf(clone.cluster)).toEqual(['database-clone', 'database-clone-of:prod-db', 'database-clone-unmasked', 'database-clone-unmasked-consented']);
    for (const resource of [clone.instance, clone.subnetGroup, clone.securityGroup]) expect(marksOf(resource)).toEqual(['database-clone']);
  });

  test.each([
    ['the source\'s own identifier', { identifier: SOURCE }, /identifier: must not be the source cluster's, prod-db: the clone would be production \(got "prod-db"\)/],
    ['the source\'s identifier in another case', { identifier: 'PROD-DB' }, /must not be the source cluster's/],
    ['an identifier of 62 characters (its instance would be 64)', { identifier: `a${'b'.repeat(61)}` }, /identifier: must be an RDS identifier of at most 61 characters/],
    ['an identifier with "--"', { identifier: 'prod--clone' }, /identifier: must be an RDS identifier/],
    ['an RDS engine', { engine: 'postgres' as never }, /engine: must be aurora-postgresql or aurora-mysql/],
    ['a class that is none', { instanceClass: 't4g.medium' }, /instanceClass: must be a DB instance class like "db\.t4g\.medium"/],
    ['more than 256 ACUs', { serverless: { minCapacity: 0.5, maxCapacity: 300 } }, /serverless\.maxCapacity: must be 1–256 ACUs/],
    ['a capacity off the half steps', { serverless: { minCapacity: 0.7, maxCapacity: 2 } }, /serverless\.minCapacity: must be 0–256 ACUs in steps of 0\.5/],
    ['a class beside Serverless v2', { serverless: { minCapacity: 0.5, maxCapacity: 2 }, instanceClass: 'db.r6g.large' }, /instanceClass: must be left out with serverless/],
    ['no task groups', { clientSecurityGroupIds: [] }, /clientSecurityGroupIds: must name the tasks' groups/],
  ])('GIVEN %s WHEN built THEN it throws one line naming the prop', (_, props, message) => {
    expect(() => synthClone(props as never)).toThrow(message);
    try {
      synthClone(props as never);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });
});

describe('MaskJobSecurityGroup', () => {
  test('GIVEN a name and a VPC WHEN synthesized THEN a group with no ingress and HTTPS egress only (the egress to each clone is the clone\'s)', () => {
    // WHEN
    const synth = synthScope((scope) => new MaskJobSecurityGroup(scope, 'Mask', { name: `${CLONE}-mask`, vpcId: CLONE_PROPS.vpcId }));
    // THEN
    expect(synth.addresses().sort()).toEqual(['aws_security_group.database_clone_mask', 'aws_vpc_security_group_egress_rule.database_clone_mask_https']);
    expect(synth.resource('aws_security_group', 'database_clone_mask')).toMatchObject({ name: `${CLONE}-mask`, vpc_id: CLONE_PROPS.vpcId });
    expect(synth.resource('aws_vpc_security_group_egress_rule', 'database_clone_mask_https')).toMatchObject({ cidr_ipv4: '0.0.0.0/0', ip_protocol: 'tcp', from_port: 443, to_port: 443 });
  });
});

describe('the clone\'s secrets in IAM', () => {
  test('GIVEN a clone\'s secret ARN WHEN granted THEN exactly that secret may be read', () => {
    expect(cloneSecretStatement('arn:x')).toEqual({ Sid: 'ReadCloneSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: ['arn:x'] });
  });

  test('GIVEN the previews\' clone pattern WHEN granted THEN RDS\'s managed secrets, narrowed by RDS\'s own tags to those clusters', () => {
    expect(previewCloneSecretsStatement('aws', 'ap-northeast-1', '123456789012', 'prod-db-stg-pr-*')).toEqual({
      Sid: 'ReadPreviewCloneSecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: ['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!cluster-*'],
      Condition: {
        StringEquals: { 'secretsmanager:ResourceTag/aws:secretsmanager:owningService': 'rds' },
        StringLike: { 'secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn': 'arn:aws:rds:ap-northeast-1:123456789012:cluster:prod-db-stg-pr-*' },
      },
    });
  });
});
