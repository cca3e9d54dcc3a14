import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { TerraformStack } from 'cdktf';
import { CLONE_MARK, previewCloneSecretsStatement } from '../../src/constructs/clone-database';
import { markResource } from '../../src/constructs/marks';
import { createsOnlyRdsManagedSecrets, grantsOnlyPreviewCloneSecrets } from '../../src/policy/secrets';
import { CLONE, cloneDatabase, handWrittenClone, handWrittenInstance, SOURCE } from '../support/clone-stacks';
import { taskDefinition } from '../support/guardrail-stacks';
import { active, runGuardrails } from '../support/guardrails';

/**
 * The guardrails of a clone (issue 27): a database the stack manages is only ever a copy-on-write clone
 * of its own (STG-CloneIdentity, and STG-ProductionResource exempting nothing else); the previews'
 * clones' secrets are the one wildcard STG-ScopedSecrets admits; a password in plain text beside a
 * clone is production's (STG-ProductionPassword).
 */

const of = (id: string, findings: ReturnType<typeof runGuardrails>) => findings.filter((finding) => finding.ruleId === id);
const policy = (stack: TerraformStack, statement: Record<string, unknown>) =>
  new IamRolePolicy(stack, 'policy', { role: 'r', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', ...statement }] }) });

describe('STG-CloneIdentity and STG-ProductionResource', () => {
  test('GIVEN the CloneDatabase construct WHEN the guardrails run THEN neither rule finds anything', () => {
    const findings = runGuardrails((s) => cloneDatabase(s));
    expect(of('STG-CloneIdentity', findings)).toEqual([]);
    expect(of('STG-ProductionResource', findings)).toEqual([]);
  });

  test.each([
    ['production\'s own identifier', SOURCE, {}, /its identifier prod-db is the production cluster's/],
    ['production\'s identifier in upper case', 'PROD-DB', {}, /is the production cluster's/],
    ['a full copy', CLONE, { 'restore_to_point_in_time.restore_type': 'full-copy' }, /restore_type is "full-copy", not "copy-on-write"/],
    ['no restore: a new, empty cluster', CLONE, { restore_to_point_in_time: null }, /it is no restore/],
    ['the restore block not ignored (provider #32888)', CLONE, { lifecycle: { ignoreChanges: ['tags'] } }, /does not ignore changes to restore_to_point_in_time/],
    ['a final snapshot demanded on destroy', CLONE, { skip_final_snapshot: false }, /skip_final_snapshot is not true/],
    ['deletion protection', CLONE, { deletion_protection: true }, /deletion_protection is on/],
    ['an identifier known only at plan', '${var.name}', {}, /cluster_identifier is not written out/],
    ['a restore whose source is itself', CLONE, { 'restore_to_point_in_time.source_cluster_identifier': CLONE }, /its identifier prod-db-stg-clone is its source's/],
  ])('GIVEN a cluster marked as the clone with %s WHEN the guardrails run THEN one error, not suppressible', (_, identifier, change, detail) => {
    // WHEN
    const findings = runGuardrails((s) => handWrittenClone(s, identifier, change), [{ id: 'STG-CloneIdentity', reason: 'Trying to suppress it: the rule is not suppressible.' }]);
    // THEN
    const found = of('STG-CloneIdentity', findings);
    expect(found.map((finding) => finding.detail)).toEqual([expect.stringMatching(detail)]);
    expect(found[0]).toMatchObject({ level: 'error', address: 'aws_rds_cluster.cluster', suppressedBecause: undefined });
  });

  test('GIVEN an instance marked as the clone\'s but in another cluster (production\'s, by name) WHEN the guardrails run THEN an error: it would join that cluster', () => {
    const findings = runGuardrails((s) => handWrittenInstance(s, SOURCE));
    expect(of('STG-CloneIdentity', findings).map((finding) => finding.detail)).toEqual([expect.stringMatching(/the instance is not in a clone cluster of this stack/)]);
  });

  test('GIVEN an instance in the stack\'s clone WHEN the guardrails run THEN no finding', () => {
    const findings = runGuardrails((s) => handWrittenInstance(s, handWrittenClone(s, CLONE).id));
    expect(of('STG-CloneIdentity', findings)).toEqual([]);
  });

  test('GIVEN a cluster or a subnet group NOT marked as the clone WHEN the guardrails run THEN each is production-side, and CloneIdentity does not look at them', () => {
    const findings = runGuardrails((s) => {
      new RdsCluster(s, 'cluster', { clusterIdentifier: 'prod-db', engine: 'aurora-postgresql' });
      new DbSubnetGroup(s, 'subnets', { name: 'prod', subnetIds: ['subnet-0123456789abcdef0'] });
    });
    expect(of('STG-ProductionResource', findings).map((finding) => finding.address).sort()).toEqual(['aws_db_subnet_group.subnets', 'aws_rds_cluster.cluster']);
    expect(of('STG-CloneIdentity', findings)).toEqual([]);
  });

  test('GIVEN the clone mark on another production-side type (a load balancer\'s subnet) WHEN the guardrails run THEN the mark exempts nothing', () => {
    const findings = runGuardrails((s) => {
      const subnets = new DbSubnetGroup(s, 'subnets', { name: 'x', subnetIds: ['subnet-0123456789abcdef0'] });
      markResource(subnets, CLONE_MARK.clone);
      const cluster = new RdsCluster(s, 'cluster', { clusterIdentifier: 'prod-db', engine: 'aurora-postgresql' });
      void cluster;
    });
    expect(of('STG-ProductionResource', findings).map((finding) => finding.address)).toEqual(['aws_rds_cluster.cluster']);
  });
});

describe('STG-UnmaskedClone and STG-MaskConsent', () => {
  test('GIVEN an unmasked clone by consent WHEN the guardrails run THEN the warning alone, which no suppression silences', () => {
    const findings = runGuardrails((s) => cloneDatabase(s, { maskFile: undefined, maskSecurityGroupId: undefined, unmaskedConsented: true }), [{ id: 'STG-UnmaskedClone', reason: 'Trying to suppress it: the rule is not suppressible.' }]);
    expect(active(findings).filter((id) => id.includes('Mask') || id.includes('Unmasked'))).toEqual(['STG-UnmaskedClone']);
  });

  test('GIVEN an unmasked clone without consent WHEN the guardrails run THEN the error', () => {
    const findings = runGuardrails((s) => cloneDatabase(s, { maskFile: undefined, maskSecurityGroupId: undefined }));
    expect(of('STG-MaskConsent', findings)).toEqual([expect.objectContaining({ level: 'error', address: 'aws_rds_cluster.database_clone' })]);
  });
});

describe('STG-ScopedSecrets: the previews\' clones\' master secrets, by RDS\'s tags, are the one wildcard', () => {
  const statement = previewCloneSecretsStatement('aws', 'ap-northeast-1', '123456789012', 'prod-db-stg-pr-*');

  test('GIVEN the statement the stack writes for the previews\' clones WHEN the guardrails run THEN no finding', () => {
    expect(of('STG-ScopedSecrets', runGuardrails((s) => policy(s, statement as never)))).toEqual([]);
  });

  test('GIVEN the account known only at plan (the lookup\'s ARN) WHEN checked THEN still the previews\' clones only', () => {
    const account = '${element(split(":", data.aws_rds_cluster.production.arn), 4)}';
    const withReference = previewCloneSecretsStatement('aws', 'ap-northeast-1', account, 'prod-db-stg-pr-*');
    expect(grantsOnlyPreviewCloneSecrets((withReference.Resource as string[])[0], withReference as never)).toBe(true);
  });

  test.each([
    ['without the owning-service condition', { Condition: { StringLike: statement.Condition!.StringLike } }],
    ['without the cluster condition', { Condition: { StringEquals: statement.Condition!.StringEquals } }],
    ['the cluster pattern "*" (every cluster, production\'s too)', { Condition: { ...statement.Condition, StringLike: { 'secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn': 'arn:aws:rds:ap-northeast-1:123456789012:cluster:*' } } }],
    ['a cluster pattern that is no preview clone\'s', { Condition: { ...statement.Condition, StringLike: { 'secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn': 'arn:aws:rds:ap-northeast-1:123456789012:cluster:prod-*' } } }],
    ['a wildcard account in the pattern', { Condition: { ...statement.Condition, StringLike: { 'secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn': 'arn:aws:rds:ap-northeast-1:*:cluster:prod-db-stg-pr-*' } } }],
    ['every secret, not RDS\'s', { Resource: ['arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:*'] }],
  ])('GIVEN the statement %s WHEN the guardrails run THEN an error', (_, change) => {
    expect(of('STG-ScopedSecrets', runGuardrails((s) => policy(s, { ...statement, ...change } as never)))).toHaveLength(1);
  });

  test('GIVEN the previews build\'s grant to create (never read) RDS\'s managed secrets WHEN checked THEN no finding; with GetSecretValue beside it, an error', () => {
    const resource = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!cluster-*';
    expect(createsOnlyRdsManagedSecrets(resource, ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'])).toBe(true);
    expect(of('STG-ScopedSecrets', runGuardrails((s) => policy(s, { Action: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'], Resource: [resource] })))).toEqual([]);
    expect(of('STG-ScopedSecrets', runGuardrails((s) => policy(s, { Action: ['secretsmanager:CreateSecret', 'secretsmanager:GetSecretValue'], Resource: [resource] })))).toHaveLength(1);
  });
});

describe('STG-ProductionPassword beside a clone', () => {
  test('GIVEN a clone and a plain DB_PASSWORD in the container WHEN the guardrails run THEN the error: a clone holds production\'s data', () => {
    const findings = runGuardrails((s) => {
      cloneDatabase(s);
      taskDefinition(s, [{ name: 'DB_PASSWORD', value: 'hunter2' }]);
    });
    expect(of('STG-ProductionPassword', findings)).toHaveLength(1);
  });
});
