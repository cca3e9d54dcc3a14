import { ServiceSecurityGroup } from '../../src/constructs/service-security-group';
import { synthScope } from '../support/synth';

const VPC = 'vpc-0123456789abcdef0';
const ALB_GROUP = 'sg-0aaaaaaaaaaaaaaaa';

function synthGroup() {
  return synthScope((scope) => {
    new ServiceSecurityGroup(scope, 'SecurityGroup', { name: 'stg-server', vpcId: VPC, loadBalancerSecurityGroupId: ALB_GROUP, port: 1323 });
  });
}

describe('ServiceSecurityGroup', () => {
  test('a group in the production VPC with one standalone ingress and one egress rule', () => {
    // WHEN
    const synth = synthGroup();
    // THEN
    expect(synth.addresses().sort()).toEqual([
      'aws_security_group.stg_server',
      'aws_vpc_security_group_egress_rule.stg_server_egress',
      'aws_vpc_security_group_ingress_rule.stg_server_from_alb',
    ]);
    const group = synth.resource('aws_security_group', 'stg_server');
    expect(group).toMatchObject({ name: 'stg-server', vpc_id: VPC });
    // no inline rules, which would fight the standalone ones
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
  });

  test('ingress comes from exactly the ALB security group, on exactly the container port over TCP', () => {
    // WHEN
    const synth = synthGroup();
    // THEN
    const ingress = synth.resource('aws_vpc_security_group_ingress_rule', 'stg_server_from_alb');
    expect(ingress).toMatchObject({
      security_group_id: '${aws_security_group.stg_server.id}',
      referenced_security_group_id: ALB_GROUP,
      ip_protocol: 'tcp',
      from_port: 1323,
      to_port: 1323,
    });
    // and from no address range
    expect(ingress.cidr_ipv4).toBeUndefined();
    expect(ingress.cidr_ipv6).toBeUndefined();
    expect(ingress.prefix_list_id).toBeUndefined();
  });

  test('egress is open to all protocols and addresses', () => {
    // WHEN
    const synth = synthGroup();
    // THEN
    const egress = synth.resource('aws_vpc_security_group_egress_rule', 'stg_server_egress');
    expect(egress).toMatchObject({ security_group_id: '${aws_security_group.stg_server.id}', ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0' });
    expect(egress.from_port).toBeUndefined();
    expect(egress.to_port).toBeUndefined();
  });
});
