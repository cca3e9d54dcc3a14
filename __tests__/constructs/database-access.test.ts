import { DatabaseAccess } from '../../src/constructs/database-access';
import { synthScope } from '../support/synth';

const DATABASE_GROUP = 'sg-0dddddddddddddddd';
const STAGING_GROUPS = ['sg-0111111111111111a', 'sg-0222222222222222b'];

describe('DatabaseAccess', () => {
  test('one ingress rule per staging group on the database group and port, and the group itself is not managed', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new DatabaseAccess(scope, 'DatabaseAccess', { databaseSecurityGroupId: DATABASE_GROUP, port: 5432, sourceSecurityGroupIds: STAGING_GROUPS });
    });

    // THEN
    expect(synth.addresses().sort()).toEqual([
      'aws_vpc_security_group_ingress_rule.database_from_stg_server',
      'aws_vpc_security_group_ingress_rule.database_from_stg_server_2',
    ]);
    STAGING_GROUPS.forEach((source, index) => {
      const rule = synth.resource('aws_vpc_security_group_ingress_rule', index === 0 ? 'database_from_stg_server' : 'database_from_stg_server_2');
      expect(rule).toMatchObject({ security_group_id: DATABASE_GROUP, referenced_security_group_id: source, ip_protocol: 'tcp', from_port: 5432, to_port: 5432 });
      expect(rule.cidr_ipv4).toBeUndefined();
    });
    expect(synth.addresses().some((address) => address.startsWith('aws_security_group.'))).toBe(false);
  });

  test('a single staging group gives the one rule at the unsuffixed address', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new DatabaseAccess(scope, 'DatabaseAccess', { databaseSecurityGroupId: DATABASE_GROUP, port: 3306, sourceSecurityGroupIds: [STAGING_GROUPS[0]] });
    });
    // THEN
    expect(synth.addresses()).toEqual(['aws_vpc_security_group_ingress_rule.database_from_stg_server']);
    expect(synth.resource('aws_vpc_security_group_ingress_rule', 'database_from_stg_server')).toMatchObject({ from_port: 3306, to_port: 3306 });
  });
});
